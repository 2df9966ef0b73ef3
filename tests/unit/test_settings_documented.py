"""Every setting the code reads is documented in the README's settings table."""

from pathlib import Path

from sync_core.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _environment_names() -> list[str]:
    names = []
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.append(alias.choices[0] if alias is not None else name.upper())  # type: ignore[union-attr]
    return names


def test_every_setting_is_in_the_readme() -> None:
    readme = README.read_text()
    missing = [name for name in _environment_names() if f"| `{name}` |" not in readme]
    assert missing == []
