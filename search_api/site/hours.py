"""Opening hours as data: `extra.opening_hours` in mkdocs.yml.

The site's sentence ("Monday to Friday, 08:00 to 17:00 (South African time), except
public holidays", shown wherever an article says `{{ contact.hours }}`), the API's
"is the team in, when does it next open" and the out-of-hours reply's "on Monday at
08:00" all come from this one block:

    extra:
      opening_hours:
        timezone: Africa/Johannesburg
        timezone_label: South African time   # optional; how the sentence names the zone
        weekly:            # every weekday named; "HH:MM-HH:MM" or closed
          monday: "08:00-17:00"
          ...
          sunday: closed
        closed_on: [2026-12-25, 2026-12-26, 2027-01-01]   # public holidays and closures

The values are read from the YAML nodes themselves, so a bad one is reported with its
line ("mkdocs.yml:97: extra.opening_hours.weekly.monday: ...") and YAML's own guesses
(`no` as false, `08:00` as a number of minutes) never change what was meant.

Pure Python and the standard library (zoneinfo); no I/O but reading the file it is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CLOSED = "closed"
KEYS = ("timezone", "timezone_label", "weekly", "closed_on")
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)$")
_LOOK_AHEAD_DAYS = 400  # past a year of closures the team has no next opening worth naming
WHERE = "extra.opening_hours"


class HoursError(ValueError):
    """A bad value in extra.opening_hours; the message names the file, line and key."""


@dataclass(frozen=True)
class State:
    """Whether the team is in at one moment, and the times around it (in the team's zone)."""

    open: bool
    now: datetime
    closes_at: datetime | None  # when open: the end of this opening period
    opens_at: datetime | None  # when closed: the next opening (None: none within a year)


@dataclass(frozen=True)
class OpeningHours:
    timezone: ZoneInfo
    weekly: tuple[tuple[time, time] | None, ...]  # Monday first; None: closed all day
    closed_on: frozenset[date]
    timezone_label: str

    def periods(self, day: date) -> tuple[datetime, datetime] | None:
        """The opening and closing time on `day`, or None when closed that day."""
        hours = self.weekly[day.weekday()]
        if hours is None or day in self.closed_on:
            return None
        start, end = hours
        opens = datetime.combine(day, start, self.timezone)
        closes = (datetime.combine(day + timedelta(days=1), time(0), self.timezone) if end == time(0)
                  else datetime.combine(day, end, self.timezone))
        return opens, closes

    def state(self, now: datetime) -> State:
        """Open or closed at `now` (an aware datetime, any zone), and the next change."""
        if now.tzinfo is None:
            raise ValueError("now must carry its time zone")
        local = now.astimezone(self.timezone)
        for offset in range(_LOOK_AHEAD_DAYS):
            period = self.periods(local.date() + timedelta(days=offset))
            if period is None:
                continue
            opens, closes = period
            if offset == 0 and opens <= local < closes:
                return State(open=True, now=local, closes_at=closes, opens_at=None)
            if local < opens:
                return State(open=False, now=local, closes_at=None, opens_at=opens)
        return State(open=False, now=local, closes_at=None, opens_at=None)

    def sentence(self) -> str:
        """The hours in words, e.g. "Monday to Friday, 08:00 to 17:00 (South African time)"."""
        groups: list[tuple[list[int], tuple[time, time]]] = []
        for number, hours in enumerate(self.weekly):
            if hours is None:
                continue
            if groups and groups[-1][1] == hours and groups[-1][0][-1] == number - 1:
                groups[-1][0].append(number)
            else:
                groups.append(([number], hours))
        parts = [f"{_days(numbers)}, {_clock(start)} to {_clock(end)}" for numbers, (start, end) in groups]
        text = "; ".join(parts) + f" ({self.timezone_label})"
        return text + ", except public holidays" if self.closed_on else text


def _days(numbers: list[int]) -> str:
    names = [WEEKDAYS[n].capitalize() for n in numbers]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} to {names[-1]}"


def _clock(moment: time) -> str:
    return "24:00" if moment == time(0) else moment.strftime("%H:%M")


def in_words(when: datetime, now: datetime) -> str:
    """`when` as a creator would say it, from `now`: "today at 13:00", "tomorrow at 08:00",
    "on Monday at 08:00", or past a week "on Monday 4 January at 08:00"."""
    when = when.astimezone(now.tzinfo)
    days = (when.date() - now.date()).days
    clock = when.strftime("%H:%M")
    if days <= 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    weekday = WEEKDAYS[when.weekday()].capitalize()
    if days < 7:
        return f"on {weekday} at {clock}"
    month = when.strftime("%B")
    year = f" {when.year}" if when.year != now.year else ""
    return f"on {weekday} {when.day} {month}{year} at {clock}"


# --- reading it from mkdocs.yml, with line numbers -----------------------------------------


def _line(source: str, node: yaml.Node) -> str:
    return f"{source}:{node.start_mark.line + 1}"


def _child(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value
    return None


def _time_range(text: str) -> tuple[time, time] | str:
    match = _RANGE.match(text.strip())
    if not match:
        return f'{text!r} is not a time range like "08:00-17:00", nor closed'
    start = time(int(match[1]), int(match[2]))
    end_hour, end_minute = int(match[3]), int(match[4])
    if end_hour == 24 and end_minute:
        return f"{text!r} ends after 24:00"
    end = time(0) if end_hour == 24 else time(end_hour, end_minute)
    if end != time(0) and end <= start:
        return f"{text!r} closes before it opens; a day's hours must end after they start (24:00 at the latest)"
    return start, end


def parse(node: yaml.Node, source: str = "mkdocs.yml") -> OpeningHours:
    """The opening_hours YAML node -> OpeningHours; HoursError lists every bad line."""
    problems: list[str] = []

    def bad(at: yaml.Node, key: str, what: str) -> None:
        problems.append(f"{_line(source, at)}: {WHERE}{key}: {what}")

    if not isinstance(node, yaml.MappingNode):
        raise HoursError(f"{_line(source, node)}: {WHERE} must be a mapping with timezone, weekly and closed_on")
    for key_node, _ in node.value:
        if key_node.value not in KEYS:
            bad(key_node, f".{key_node.value}", f"unknown key; known: {', '.join(KEYS)}")

    zone: ZoneInfo | None = None
    found = _child(node, "timezone")
    if found is None:
        bad(node, ".timezone", "missing; name the team's zone, e.g. Africa/Johannesburg")
    else:
        value = found[1]
        name = value.value if isinstance(value, yaml.ScalarNode) else ""
        try:
            zone = ZoneInfo(str(name).strip())
        except (ZoneInfoNotFoundError, ValueError):
            bad(value, ".timezone", f"{name!r} is not a time zone name like Africa/Johannesburg")

    label = ""
    found = _child(node, "timezone_label")
    if found is not None:
        value = found[1]
        label = value.value.strip() if isinstance(value, yaml.ScalarNode) else ""
        if not label:
            bad(value, ".timezone_label", "write how creators call the zone, e.g. South African time")

    weekly: list[tuple[time, time] | None] = [None] * 7
    found = _child(node, "weekly")
    if found is None:
        bad(node, ".weekly", f"missing; name every weekday ({', '.join(WEEKDAYS)})")
    elif not isinstance(found[1], yaml.MappingNode):
        bad(found[1], ".weekly", 'must map every weekday to "HH:MM-HH:MM" or closed')
    else:
        days = found[1]
        for key_node, value in days.value:
            day = str(key_node.value).lower()
            if day not in WEEKDAYS:
                bad(key_node, f".weekly.{key_node.value}", f"not a weekday; write {', '.join(WEEKDAYS)}")
                continue
            text = value.value if isinstance(value, yaml.ScalarNode) else None
            if text is None:
                bad(value, f".weekly.{day}", 'write "HH:MM-HH:MM" or closed')
            elif text.strip().lower() == CLOSED:
                weekly[WEEKDAYS.index(day)] = None
            else:
                hours = _time_range(text)
                if isinstance(hours, str):
                    bad(value, f".weekly.{day}", hours)
                else:
                    weekly[WEEKDAYS.index(day)] = hours
        named = {str(k.value).lower() for k, _ in days.value}
        missing = [d for d in WEEKDAYS if d not in named]
        if missing:
            bad(found[0], ".weekly", f"missing {', '.join(missing)}; name every weekday, writing closed for a closed one")
        elif not problems and all(h is None for h in weekly):
            bad(found[0], ".weekly", "every day is closed; give the hours a person answers")

    closed_on: set[date] = set()
    found = _child(node, "closed_on")
    if found is not None:
        value = found[1]
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            pass
        elif not isinstance(value, yaml.SequenceNode):
            bad(value, ".closed_on", "must be a list of dates, e.g. [2026-12-25, 2027-01-01]")
        else:
            for item in value.value:
                text = item.value if isinstance(item, yaml.ScalarNode) else ""
                try:
                    closed_on.add(date.fromisoformat(str(text).strip()))
                except ValueError:
                    bad(item, ".closed_on", f"{text!r} is not a date like 2026-12-25")

    if problems:
        raise HoursError("\n".join(problems))
    assert zone is not None
    if not label:
        label = zone.key.rsplit("/", 1)[-1].replace("_", " ") + " time"
    return OpeningHours(timezone=zone, weekly=tuple(weekly), closed_on=frozenset(closed_on), timezone_label=label)


def _extra_node(text: str, source: str) -> yaml.MappingNode | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise HoursError(f"{source}: cannot read the opening hours ({error})") from error
    if not isinstance(root, yaml.MappingNode):
        return None
    found = _child(root, "extra")
    return found[1] if found and isinstance(found[1], yaml.MappingNode) else None


def load(mkdocs_config: Path) -> OpeningHours | None:
    """The opening hours in an MkDocs configuration, or None when it has none."""
    source = str(mkdocs_config)
    try:
        text = mkdocs_config.read_text(encoding="utf-8")
    except OSError as error:
        raise HoursError(f"{source}: cannot read the opening hours ({error})") from error
    return from_text(text, source)


def from_text(text: str, source: str = "mkdocs.yml") -> OpeningHours | None:
    extra = _extra_node(text, source)
    found = _child(extra, "opening_hours") if extra is not None else None
    if found is None:
        return None
    hours = parse(found[1], source)
    contact = _child(extra, "contact")
    if contact and isinstance(contact[1], yaml.MappingNode) and (written := _child(contact[1], "hours")):
        raise HoursError(f"{_line(source, written[0])}: extra.contact.hours is written from "
                         f"{WHERE}; remove it (the site and the replies use the hours' own sentence)")
    return hours


def with_hours_sentence(extra: Mapping[str, Any], hours: OpeningHours | None) -> dict[str, Any]:
    """`extra` with contact.hours set to the hours' sentence, for `{{ contact.hours }}`."""
    result = dict(extra)
    if hours is not None:
        result["contact"] = {**(extra.get("contact") or {}), "hours": hours.sentence()}
    return result
