"""azd can deploy what infra/ describes: azure.yaml names the service the Function App is tagged with, the
parameters file matches main.bicep, and main.bicep hands resources.bicep every parameter it needs."""

import json
import re

from tests.unit.infra.bicep import INFRA, REPO, parse_bicep


def _required(parameters: dict[str, dict[str, object]]) -> set[str]:
    return {name for name, parameter in parameters.items() if parameter["default"] is None}


def test_azure_yaml_declares_one_python_function_service_tagged_on_the_app() -> None:
    # No YAML parser among the dev tools; azure.yaml is small and flat enough to read by indentation.
    lines = (REPO / "azure.yaml").read_text().splitlines()
    services = lines[lines.index("services:") + 1 :]
    service_names = [match[1] for line in services if (match := re.match(r"^  (\w[\w-]*):\s*$", line))]
    assert service_names == [parse_bicep("resources.bicep")["parameters"]["serviceName"]["default"]]
    assert "    language: python" in services
    assert "    host: function" in services


def test_parameters_file_sets_only_and_all_required_main_bicep_parameters() -> None:
    declared = parse_bicep("main.bicep")["parameters"]
    given = set(json.loads((INFRA / "main.parameters.json").read_text())["parameters"])
    assert given - set(declared) == set()
    assert _required(declared) - given == set()


def test_main_bicep_passes_resources_bicep_every_required_parameter_and_no_unknown_one() -> None:
    declared = parse_bicep("resources.bicep")["parameters"]
    passed = set(parse_bicep("main.bicep")["modules"]["resources"]["config"]["params"])
    assert passed - set(declared) == set()
    assert _required(declared) - passed == set()


def test_the_webhooks_get_one_always_ready_instance_by_default() -> None:
    parameters = json.loads((INFRA / "main.parameters.json").read_text())["parameters"]
    assert parameters["alwaysReadyHttpInstances"]["value"] == 1
    assert parse_bicep("resources.bicep")["parameters"]["alwaysReadyHttpInstances"]["default"] == 1


def test_the_function_app_runs_python_3_11_on_flex_consumption_with_its_own_identity() -> None:
    resources = parse_bicep("modules/functionapp.bicep")["resources"]
    assert resources["plan"]["config"]["sku"] == {"tier": "FlexConsumption", "name": "FC1"}
    site = resources["site"]["config"]
    assert site["identity"] == {"type": "SystemAssigned"}
    assert site["properties"]["functionAppConfig"]["runtime"] == {"name": "python", "version": "3.11"}
    assert site["properties"]["httpsOnly"] is True
    assert site["properties"]["siteConfig"]["ftpsState"] == "Disabled"
