"""The demo organisation as `make run` presents it: who is who across the two emulators' seeds.

Users match by e-mail; an organisation is SSO-linked to the tenant with admin consent holding its users.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from local.stack import ROOT

GRAPH_SEED = ROOT / "local" / "seed" / "graph.json"
RECRUIT_SEED = ROOT / "local" / "seed" / "recruit.json"


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def _mailboxes(graph_seed: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """E-mail (lower case) → (tenant, user) for every seeded mailbox."""
    return {
        user["mail"].lower(): (tenant, user) for tenant in graph_seed["tenants"] for user in tenant["users"]
    }


def sso_tenants(graph_seed: dict[str, Any], recruit_seed: dict[str, Any]) -> dict[str, str]:
    """Recruit org id → the tenant with admin consent that holds the most of its users."""
    mailboxes = _mailboxes(graph_seed)
    linked: dict[str, str] = {}
    for org in recruit_seed["orgs"]:
        counts: dict[str, int] = {}
        for user in org["users"]:
            tenant, _ = mailboxes.get(user["email"].lower(), ({}, {}))
            if tenant.get("admin_consent"):
                counts[tenant["id"]] = counts.get(tenant["id"], 0) + 1
        if counts:
            linked[str(org["id"])] = max(counts, key=lambda tenant_id: counts[tenant_id])
    return linked


def sso_tenants_setting(graph_path: Path = GRAPH_SEED, recruit_path: Path = RECRUIT_SEED) -> str:
    """The SSO_TENANTS value for the demo seeds."""
    pairs = sso_tenants(_load(graph_path), _load(recruit_path))
    return ",".join(f"{org}={tenant}" for org, tenant in sorted(pairs.items()))


def demo_document(graph_path: Path = GRAPH_SEED, recruit_path: Path = RECRUIT_SEED) -> dict[str, Any]:
    """What `.local/demo.json` holds (DESIGN.md): the first organisation and its users."""
    graph_seed, recruit_seed = _load(graph_path), _load(recruit_path)
    linked = sso_tenants(graph_seed, recruit_seed)
    mailboxes = _mailboxes(graph_seed)
    org = recruit_seed["orgs"][0]
    users = []
    for user in org["users"]:
        tenant, mailbox = mailboxes.get(user["email"].lower(), ({}, {}))
        users.append(
            {
                "email": user["email"],
                "name": user["full_name"],
                "recruit_user_id": user["id"],
                "microsoft_tenant_id": tenant.get("id", ""),
                "microsoft_user_id": mailbox.get("id", ""),
                "sso": bool(tenant) and linked.get(str(org["id"])) == tenant.get("id"),
                # The Recruit emulator answers this user with `profile.name` "Administrator" (seed).
                "admin": str(user.get("profile", "")).strip().lower() == "administrator",
            }
        )
    return {"org_id": str(org["id"]), "org_name": org.get("company_name", ""), "users": users}
