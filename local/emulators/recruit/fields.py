"""Field metadata of the emulated modules, as `GET /settings/fields` reports it and validation reads it.

Names follow API-NOTES.md; where Recruit's real names are unconfirmed, README.md documents the choice.
Each field's `length` is served as Zoho's fields metadata has it (zoho/crm-oas
v8.0/fields/operations/getFields/examples/response-200-fullexample.md) and enforced by validation.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MODULES = ("Events", "Interviews", "Contacts", "Clients", "Candidates", "Job_Openings")

# data_type -> json_type, as Zoho reports them; also the list of types POST /_emulator/fields accepts.
JSON_TYPES: dict[str, str] = {
    "text": "string",
    "email": "string",
    "phone": "string",
    "website": "string",
    "textarea": "string",
    "picklist": "string",
    "datetime": "string",
    "date": "string",
    "integer": "integer",
    "double": "double",
    "boolean": "boolean",
    "lookup": "jsonobject",
    "ownerlookup": "jsonobject",
    "userlookup": "jsonobject",
    "multiuserlookup": "jsonarray",
    "participants": "jsonarray",
    "RRULE": "jsonobject",
    "ALARM": "jsonobject",
}


@dataclass
class FieldDef:
    api_name: str
    label: str
    data_type: str
    length: int = 0
    mandatory: bool = False
    read_only: bool = False
    custom: bool = False
    unique: bool = False
    picklist: tuple[str, ...] = ()
    lookup_module: str | None = None
    field_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.field_id,
            "api_name": self.api_name,
            "field_label": self.label,
            "data_type": self.data_type,
            "json_type": JSON_TYPES[self.data_type],
            "length": self.length,
            "read_only": self.read_only,
            "visible": True,
            "system_mandatory": self.mandatory,
            "custom_field": self.custom,
            "unique": {"casesensitive": "false"} if self.unique else {},
            "pick_list_values": [
                {"display_value": value, "actual_value": value, "id": str(i)}
                for i, value in enumerate(self.picklist, 1)
            ],
            "lookup": {"module": self.lookup_module} if self.lookup_module else {},
        }


@dataclass
class ModuleMeta:
    name: str
    fields: list[FieldDef] = field(default_factory=list)
    display: tuple[str, ...] = ()  # fields joined to make a record's name in lookups
    # (api_name, text): a write whose string value of that field contains the text is refused with
    # INVALID_DATA (the `/_emulator/refusals` switch; no source); empty by default and after a reset.
    refusals: list[tuple[str, str]] = field(default_factory=list)

    def by_name(self) -> dict[str, FieldDef]:
        return {f.api_name: f for f in self.fields}

    @property
    def owner_field(self) -> str:
        return next(f.api_name for f in self.fields if f.data_type == "ownerlookup")


def _text(api_name: str, length: int = 255, *, mandatory: bool = False, unique: bool = False) -> FieldDef:
    return FieldDef(api_name, api_name.replace("_", " "), "text", length, mandatory=mandatory, unique=unique)


def _typed(api_name: str, data_type: str, length: int = 0, **kwargs: Any) -> FieldDef:
    return FieldDef(api_name, api_name.replace("_", " "), data_type, length, **kwargs)


def _system_fields() -> list[FieldDef]:
    return [
        _typed("Created_Time", "datetime", read_only=True),
        _typed("Modified_Time", "datetime", read_only=True),
        _typed("Created_By", "userlookup", read_only=True),
        _typed("Modified_By", "userlookup", read_only=True),
    ]


def _address(prefix: str) -> list[FieldDef]:
    return [
        _text(f"{prefix}_Street", 250),
        _text(f"{prefix}_City", 100),
        _text(f"{prefix}_State", 100),
        _text(f"{prefix}_Zip", 30),
        _text(f"{prefix}_Country", 100),
    ]


def _schedule() -> list[FieldDef]:
    return [
        _typed("Start_DateTime", "datetime", mandatory=True),
        _typed("End_DateTime", "datetime", mandatory=True),
        _text("Venue", 255),
    ]


def default_modules() -> dict[str, ModuleMeta]:
    """A fresh copy of every module's metadata (custom fields are added to the copy, reset drops them)."""
    modules = {
        "Events": ModuleMeta(
            "Events",
            [
                _text("Event_Title", 255, mandatory=True),
                *_schedule(),
                _typed("All_day", "boolean"),
                _typed("Description", "textarea", 32000),
                _typed("Participants", "participants"),
                _typed("Remind_At", "ALARM"),
                _typed("Recurring_Activity", "RRULE"),
                _typed("Owner", "ownerlookup"),
            ],
            ("Event_Title",),
        ),
        "Interviews": ModuleMeta(
            "Interviews",
            [
                _text("Interview_Name", 120, mandatory=True),
                *_schedule(),
                _typed("Schedule_Comments", "textarea", 32000),
                _typed(
                    "Interview_Status",
                    "picklist",
                    120,
                    picklist=("Scheduled", "Completed", "Cancelled", "No Show", "Rescheduled"),
                ),
                _typed("Interview_Owner", "ownerlookup"),
                _typed("Candidate_Name", "lookup", lookup_module="Candidates"),
                _typed("Client_Name", "lookup", lookup_module="Clients"),
                _typed("Job_Opening_Name", "lookup", lookup_module="Job_Openings"),
                _typed("Interviewer", "multiuserlookup"),
            ],
            ("Interview_Name",),
        ),
        "Contacts": ModuleMeta(
            "Contacts",
            [
                _text("First_Name", 40),
                _text("Last_Name", 80, mandatory=True),
                _typed("Email", "email", 100),
                _typed("Secondary_Email", "email", 100),
                _typed("Work_Phone", "phone", 30),
                _typed("Mobile", "phone", 30),
                _typed("Fax", "phone", 30),
                _text("Department", 100),
                _text("Job_Title", 100),
                _text("Skype_ID", 50),
                _text("Twitter", 50),
                *_address("Mailing"),
                *_address("Other"),
                _typed("Client_Name", "lookup", lookup_module="Clients"),
                _typed("Contact_Owner", "ownerlookup"),
                _typed(
                    "Source", "picklist", 120, picklist=("Added by User", "API", "Import", "Referral", "Web")
                ),
                _typed("Is_primary_contact", "boolean"),
                _typed("Description", "textarea", 32000),
            ],
            ("First_Name", "Last_Name"),
        ),
        "Clients": ModuleMeta(
            "Clients",
            [
                _text("Client_Name", 120, mandatory=True, unique=True),
                _typed("Contact_Number", "phone", 30),
                _typed("Website", "website", 255),
                _typed(
                    "Industry", "picklist", 120, picklist=("Technology", "Finance", "Healthcare", "Retail")
                ),
                _text("Billing_City", 100),
                _typed("Account_Manager", "ownerlookup"),
            ],
            ("Client_Name",),
        ),
        "Candidates": ModuleMeta(
            "Candidates",
            [
                _text("First_Name", 40),
                _text("Last_Name", 80, mandatory=True),
                _typed("Email", "email", 100, unique=True),
                _typed("Mobile", "phone", 30),
                _typed(
                    "Candidate_Status",
                    "picklist",
                    120,
                    picklist=("New", "In Review", "Interviewing", "Hired"),
                ),
                _typed("Candidate_Owner", "ownerlookup"),
            ],
            ("First_Name", "Last_Name"),
        ),
        "Job_Openings": ModuleMeta(
            "Job_Openings",
            [
                _text("Posting_Title", 120, mandatory=True),
                _typed("Client_Name", "lookup", lookup_module="Clients"),
                _typed("Job_Opening_Status", "picklist", 120, picklist=("In-progress", "Filled", "On-Hold")),
                _text("City", 100),
                _typed("Recruiter", "ownerlookup"),
            ],
            ("Posting_Title",),
        ),
    }
    for index, meta in enumerate(modules.values(), 1):
        meta.fields.extend(_system_fields())
        for position, field_def in enumerate(meta.fields, 1):
            field_def.field_id = f"4612330000{index:02d}{position:04d}"
    return modules
