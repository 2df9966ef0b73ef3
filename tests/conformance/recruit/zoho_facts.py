"""The small facts the Recruit conformance cases replay: example answers from Zoho CRM's official OpenAPI
description (zoho/crm-oas, v8.0), trimmed to the parts a Recruit source confirms Recruit shares. Each names
the file it comes from and the Recruit source that confirms it. Only these facts are vendored, never the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Fact:
    source: str  # zoho/crm-oas path
    confirmed_by: str  # the Recruit source that shows Recruit shares it
    status: int
    body: dict[str, Any]


RECORD_LIST = Fact(
    source="zoho/crm-oas v8.0/record/operations/getRecords/examples/response-200-leads.md",
    confirmed_by=(
        "schmorrison/Zoho recruit/types.go (PageInfo: per_page, count, page, more_records; Owner/Lookup: "
        "name, id); Recruit widget HTTP GET sample "
        "(zoho.com/recruit/developer-console/widgets/API/http-get.html)"
    ),
    status=200,
    body={
        "data": [
            {
                "id": "4150868000000002175",
                "Created_Time": "2023-10-15T10:30:00+00:00",
                "Modified_Time": "2023-10-15T14:20:00+00:00",
            }
        ],
        "info": {"per_page": 5, "count": 5, "page": 1, "more_records": True},
    },
)

OWNER_REFERENCE = Fact(
    source="zoho/crm-oas v8.0/record/operations/getRecords/examples/response-200-leads.md (data[0].Owner)",
    confirmed_by="schmorrison/Zoho recruit/types.go (Owner: name, id)",
    status=200,
    body={"name": "Patricia Boyle", "id": "4150868000000225013"},
)

INSERT_SUCCESS = Fact(
    source="zoho/crm-oas v8.0/record/operations/createRecords/examples/response-201-success.md",
    confirmed_by=(
        "schmorrison/Zoho recruit/records.go (InsertRecordsResponseData: code, details with id, created and "
        "modified by and time, message, status)"
    ),
    status=201,
    body={
        "data": [
            {
                "code": "SUCCESS",
                "details": {
                    "Modified_Time": "2023-05-10T01:10:47-07:00",
                    "Modified_By": {"name": "Patricia Boyle", "id": "5725767000000411001"},
                    "Created_Time": "2023-05-10T01:10:47-07:00",
                    "id": "5725767000000524157",
                    "Created_By": {"name": "Patricia Boyle", "id": "5725767000000411001"},
                },
                "message": "record added",
                "status": "success",
            }
        ]
    },
)

SCOPE_MISMATCH = Fact(
    source="zoho/crm-oas v8.0/record/operations/getRecords/examples/response-401-scopemismatch.md",
    confirmed_by=(
        "schmorrison/Zoho recruit/types.go (Error: code, details, message, status); Recruit guide "
        "apiv2/search-records.html (scope ZohoRecruit.search.READ)"
    ),
    status=401,
    body={"code": "OAUTH_SCOPE_MISMATCH", "message": "Unauthorized", "status": "error", "details": {}},
)

WATCH_CREATED = Fact(
    source="zoho/crm-oas v8.0/notifications/operations/createNotifications/examples/response-201-sample.md",
    confirmed_by=(
        "a public Recruit integration (Node sample posting to recruit.zoho.in/recruit/v2/actions/watch, "
        "reading watch[0].status and watch[0].code); the inner `details` differ between sources: not compared"
    ),
    status=200,  # CRM answers 201; the Recruit sample does not say, the emulator answers 200 (unconfirmed)
    body={
        "watch": [
            {
                "code": "SUCCESS",
                "details": {},
                "message": "Successfully subscribed for actions-watch of the given module",
                "status": "success",
            }
        ]
    },
)

WATCH_LISTED = Fact(
    source="zoho/crm-oas v8.0/notifications/operations/getNotifications/examples/response-200-sample.md",
    confirmed_by=(
        "the same public Recruit integration: GET recruit/v2/actions/watch read as `watch`, items created "
        "with channel_id, events, channel_expiry, token, notify_url; channel_id is left out (a string in "
        "CRM's example, a number in what Recruit clients send: unconfirmed)"
    ),
    status=200,
    body={
        "watch": [
            {
                "channel_expiry": "2023-08-02T16:51:03-11:00",
                "notify_url": "https://webhook.site/2c9xxx0fa9",
                "events": ["Leads.edit", "Leads.create", "Leads.delete"],
                "token": "xyz",
            }
        ]
    },
)
