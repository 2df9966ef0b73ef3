"""checkov passes on infra/, and every check it skips is justified by an inline comment.

checkov runs from its own virtualenv (infra/checkov.sh builds .local/checkov-venv on first use, about a
minute with PyPI reachable) because its dependencies would downgrade tools pinned in requirements-dev.txt.
"""

import json
import os
import subprocess
import sys
from functools import cache
from typing import Any

import pytest

from tests.unit.infra.bicep import INFRA


@cache
def _checkov_report() -> dict[str, Any]:
    # The command is our own script with fixed arguments.
    completed = subprocess.run(
        [str(INFRA / "checkov.sh"), "--output", "json"],
        capture_output=True,
        text=True,
        timeout=840,
        env={**os.environ, "PYTHON": sys.executable},
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    # One framework gives one report; checkov wraps several in a list.
    return report[0] if isinstance(report, list) else report


pytestmark = pytest.mark.timeout(900)


def test_checkov_finds_no_failed_check_in_infra() -> None:
    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']})"
        for check in _checkov_report()["results"]["failed_checks"]
    ]
    assert failed == []


def test_checkov_parses_every_bicep_file() -> None:
    assert _checkov_report()["summary"]["parsing_errors"] == 0


def test_checkov_really_scanned_the_function_app_storage_and_key_vault() -> None:
    results = _checkov_report()["results"]
    passed = {(check["check_id"], check["resource"]) for check in results["passed_checks"]}
    assert ("CKV_AZURE_15", "Microsoft.Web/sites.site") in passed  # minimum TLS 1.2
    assert ("CKV_AZURE_70", "Microsoft.Web/sites.site") in passed  # HTTPS only
    assert ("CKV_AZURE_44", "Microsoft.Storage/storageAccounts.storage") in passed  # storage TLS 1.2
    assert ("CKV_AZURE_42", "Microsoft.KeyVault/vaults.vault") in passed  # key vault recoverable


def test_every_skipped_check_carries_a_written_reason() -> None:
    unjustified = [
        f"{check['check_id']} {check['resource']}"
        for check in _checkov_report()["results"]["skipped_checks"]
        if len(check.get("check_result", {}).get("suppress_comment", "").strip()) < 20
    ]
    assert unjustified == []
