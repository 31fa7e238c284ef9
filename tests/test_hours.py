"""Opening hours as data: the sentence, open or closed, the next opening in words, bad values."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from search_api.site import hours as opening

SAST = ZoneInfo("Africa/Johannesburg")

CONFIG = """\
site_name: Test
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
extra:
  contact:
    email: help@example.org
  opening_hours:
    timezone: Africa/Johannesburg
    timezone_label: South African time
    weekly:
      monday: "08:00-17:00"
      tuesday: "08:00-17:00"
      wednesday: "08:00-17:00"
      thursday: "08:00-17:00"
      friday: "08:00-17:00"
      saturday: closed
      sunday: closed
    closed_on: [2026-12-25, 2026-12-26, 2027-01-01]
"""


@pytest.fixture(scope="module")
def hours() -> opening.OpeningHours:
    parsed = opening.from_text(CONFIG)
    assert parsed is not None
    return parsed


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SAST)


def test_the_sentence_is_the_one_the_site_had(hours: opening.OpeningHours) -> None:
    assert hours.sentence() == "Monday to Friday, 08:00 to 17:00 (South African time), except public holidays"


def test_different_hours_on_some_days_are_named_in_order() -> None:
    text = CONFIG.replace('friday: "08:00-17:00"', 'friday: "08:00-13:00"').replace("saturday: closed",
                                                                                  'saturday: "09:00-12:00"')
    parsed = opening.from_text(text.replace("    closed_on: [2026-12-25, 2026-12-26, 2027-01-01]\n", ""))
    assert parsed is not None
    assert parsed.sentence() == ("Monday to Thursday, 08:00 to 17:00; Friday, 08:00 to 13:00; "
                                 "Saturday, 09:00 to 12:00 (South African time)")


@pytest.mark.parametrize(("now", "is_open", "words"), [
    ("2026-12-03 10:00", True, None),                          # Thursday morning
    ("2026-12-03 07:59", False, "today at 08:00"),
    ("2026-12-03 17:00", False, "tomorrow at 08:00"),          # closing time is closed
    ("2026-12-04 18:30", False, "on Monday at 08:00"),         # Friday evening
    ("2026-12-05 11:00", False, "on Monday at 08:00"),         # Saturday
    ("2026-12-24 17:30", False, "on Monday at 08:00"),         # Christmas Eve: 25th Friday closed
    ("2026-12-31 17:30", False, "on Monday at 08:00"),         # New Year closed, then the weekend
])
def test_open_or_closed_and_the_next_opening_in_words(hours: opening.OpeningHours, now: str, is_open: bool,
                                                      words: str | None) -> None:
    state = hours.state(at(now))
    assert state.open is is_open
    if words is None:
        assert state.opens_at is None and state.closes_at == at(now[:10] + " 17:00")
    else:
        assert state.opens_at is not None and opening.in_words(state.opens_at, state.now) == words


def test_a_long_closure_names_the_date() -> None:
    days = ", ".join(f"2026-12-{d}" for d in range(24, 32)) + ", 2027-01-01"
    parsed = opening.from_text(CONFIG.replace("[2026-12-25, 2026-12-26, 2027-01-01]", f"[{days}]"))
    assert parsed is not None
    state = parsed.state(at("2026-12-23 17:30"))
    assert state.opens_at == at("2027-01-04 08:00")
    assert opening.in_words(state.opens_at, state.now) == "on Monday 4 January 2027 at 08:00"


def test_the_time_is_read_in_the_teams_zone(hours: opening.OpeningHours) -> None:
    # 06:30 UTC is 08:30 in Johannesburg: open.
    assert hours.state(datetime(2026, 12, 3, 6, 30, tzinfo=timezone.utc)).open
    with pytest.raises(ValueError, match="time zone"):
        hours.state(datetime(2026, 12, 3, 6, 30))


def test_a_day_open_until_midnight() -> None:
    parsed = opening.from_text(CONFIG.replace('monday: "08:00-17:00"', 'monday: "20:00-24:00"'))
    assert parsed is not None
    assert parsed.state(at("2026-12-07 23:59")).open
    assert not parsed.state(at("2026-12-07 19:00")).open
    assert parsed.sentence().startswith("Monday, 20:00 to 24:00; Tuesday to Friday, 08:00 to 17:00")


def test_no_opening_hours_is_none() -> None:
    assert opening.from_text("site_name: x\nextra:\n  contact:\n    hours: Mondays\n") is None


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "says"), [
    ('monday: "08:00-17:00"', 'monday: "8-17"', "extra.opening_hours.weekly.monday: '8-17' is not a time range"),
    ('tuesday: "08:00-17:00"', 'tuesday: "17:00-08:00"', "weekly.tuesday: '17:00-08:00' closes before it opens"),
    ('wednesday: "08:00-17:00"', "wednesday: no", "weekly.wednesday: 'no' is not a time range"),
    ('thursday: "08:00-17:00"', 'thursdy: "08:00-17:00"', "weekly.thursdy: not a weekday"),
    ("timezone: Africa/Johannesburg", "timezone: Africa/Jozi", "extra.opening_hours.timezone: 'Africa/Jozi' is not a time zone"),
    ("2026-12-26,", "2026-12-32,", "closed_on: '2026-12-32' is not a date"),
    ("timezone_label: South African time", "label: SAST", "extra.opening_hours.label: unknown key"),
])
def test_a_bad_value_names_its_line_and_what_is_wrong(old: str, new: str, says: str) -> None:
    text = CONFIG.replace(old, new)
    assert text != CONFIG
    with pytest.raises(opening.HoursError) as raised:
        opening.from_text(text, "mkdocs.yml")
    message = str(raised.value)
    assert f"mkdocs.yml:{_line_of(text, new.split(':')[0].strip())}: " in message
    assert says in message


def test_a_missing_weekday_and_contact_hours_written_by_hand_are_errors() -> None:
    with pytest.raises(opening.HoursError, match=r"mkdocs.yml:9: extra.opening_hours.weekly: missing sunday"):
        opening.from_text(CONFIG.replace("      sunday: closed\n", ""), "mkdocs.yml")
    with pytest.raises(opening.HoursError, match=r"mkdocs.yml:5: extra.contact.hours is written from"):
        opening.from_text(CONFIG.replace("    email: help@example.org\n", "    hours: Mondays\n"), "mkdocs.yml")


def test_every_day_closed_is_an_error() -> None:
    text = CONFIG
    for day in opening.WEEKDAYS[:5]:
        text = text.replace(f'{day}: "08:00-17:00"', f"{day}: closed")
    with pytest.raises(opening.HoursError, match="every day is closed"):
        opening.from_text(text)


def test_the_sentence_goes_into_contact_hours(hours: opening.OpeningHours) -> None:
    extra = {"contact": {"email": "help@example.org"}, "org": {"name": "X"}}
    filled = opening.with_hours_sentence(extra, hours)
    assert filled["contact"] == {"email": "help@example.org", "hours": hours.sentence()}
    assert extra["contact"] == {"email": "help@example.org"}  # not changed in place


def _mkdocs_build(tmp_path, config: str) -> "subprocess.CompletedProcess[str]":
    import subprocess
    import sys

    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Hours\n\nWe work {{ contact.hours }}.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(tmp_path / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})


SITE = CONFIG.replace("site_name: Test\n", "site_name: Test\nplugins:\n  - opening-hours\n  - macros\n")


def test_the_site_writes_the_sentence_from_the_data(tmp_path) -> None:
    built = _mkdocs_build(tmp_path, SITE)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "We work Monday to Friday, 08:00 to 17:00 (South African time), except public holidays." in page


def test_a_bad_value_stops_the_build_naming_the_line(tmp_path) -> None:
    text = SITE.replace('friday: "08:00-17:00"', 'friday: "08:00-1700"')
    built = _mkdocs_build(tmp_path, text)
    assert built.returncode != 0
    line = _line_of(text, "friday:")
    assert (f"{tmp_path / 'mkdocs.yml'}:{line}: extra.opening_hours.weekly.friday: "
            f"'08:00-1700' is not a time range") in built.stderr

