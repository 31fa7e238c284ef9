"""scrub(): contact details and ID numbers never reach what we write down; codes and amounts stay."""

from __future__ import annotations

import pytest

from search_api.listening.scrub import scrub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me at thandi.m+music@gmail.co.za please", "mail me at [email] please"),
        ("call 082 123 4567", "call [phone]"),
        ("call +27 82 123 4567 after 5", "call [phone] after 5"),
        ("landline (011) 000-0000", "landline [phone]"),
        ("whatsapp 060-000-0000.", "whatsapp [phone]."),
        ("UK number +44 20 7946 0958", "UK number [phone]"),
        ("my id 8001015009087", "my id [ID number]"),
        ("ID 800101 5009 087 attached", "ID [ID number] attached"),
        ("account 62012345678 at the bank", "account [number] at the bank"),
        ("card 4111 1111 1111 1111", "card [number]"),
    ],
)
def test_contact_details_and_id_numbers_are_replaced(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "royalties for 2024",
        "paid R12,500.00 on 2024/03/01",
        "statement of 2024-01-15",
        "R 1 500 000 advance",
        "ISWC T-345.246.800-1 is missing",
        "ISRC ZA-R01-24-00012",
        "split 50/50 with my producer",
    ],
)
def test_years_amounts_dates_and_music_codes_are_kept(text: str) -> None:
    assert scrub(text) == text


def test_several_details_in_one_pasted_message_all_go() -> None:
    message = ("My royalties are late. Reach me on 0821234567 or sipho.n@example.org, "
               "ID 9202204720082, account 1234567890.")
    scrubbed = scrub(message)
    for detail in ("0821234567", "sipho.n@example.org", "9202204720082", "1234567890"):
        assert detail not in scrubbed
    assert scrubbed.startswith("My royalties are late.")
