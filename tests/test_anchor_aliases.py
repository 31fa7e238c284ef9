"""Which question a published anchor was renamed to, and when no question is clearly it."""

from __future__ import annotations

from search_api.site.anchor_aliases import Question, add_alias_ids, page_questions, renamed_to
from search_api.site.ledger import LedgerEntry

PAID = Question("when-do-i-get-paid", "When do I get paid?", "We pay royalties every June and December into your bank account.")
JOIN = Question("who-can-join", "Who can join?", "Any songwriter, performer or producer whose music is used in public can join.")
COST = Question("what-does-it-cost", "What does it cost?", "Joining is free, and we never ask you for a fee to pay you.")
PUBLISHED = LedgerEntry("/p/#when-am-i-paid", "When am I paid?", "We pay royalties every June and December into your bank account.")


def test_a_renamed_question_with_the_same_answer_is_found() -> None:
    assert renamed_to(PUBLISHED, [JOIN, PAID, COST], {}) == PAID.anchor


def test_a_renamed_question_with_a_lightly_edited_answer_is_found() -> None:
    edited = Question("payment-dates", "On which dates do you pay?",
                      "We pay royalties every June and every December, straight into your bank account.")
    assert renamed_to(PUBLISHED, [JOIN, edited, COST], {}) == edited.anchor


def test_a_removed_question_is_not_sent_to_an_unrelated_one() -> None:
    assert renamed_to(PUBLISHED, [JOIN, COST], {}) is None


def test_two_equally_close_questions_are_not_guessed_between() -> None:
    twin = Question("when-am-i-paid-for-radio", PAID.question, PAID.answer)
    assert renamed_to(PUBLISHED, [PAID, twin], {}) is None


def test_a_found_rename_survives_a_later_rewrite_of_the_answer() -> None:
    # The ledger recorded the new question when it was published, right after the rename.
    rewritten = Question(PAID.anchor, PAID.question, "Payments go out twice a year.")
    recorded = {PAID.anchor: LedgerEntry(f"/p/#{PAID.anchor}", PAID.question, PAID.answer)}
    assert renamed_to(PUBLISHED, [JOIN, rewritten], {}) is None
    assert renamed_to(PUBLISHED, [JOIN, rewritten], recorded) == PAID.anchor


def test_questions_are_read_from_the_rendered_page() -> None:
    html = ('<h1 id="t">T</h1><p>Intro.</p>'
            '<h2 id="who-can-join">Who can <em>join</em>?<a class="headerlink" href="#who-can-join">&para;</a></h2>'
            "<p>Any creator.</p><p>More.</p><h3 id=\"x\">X</h3><p>Deeper.</p>"
            '<h2 id="sources">Sources<a class="headerlink" href="#sources">&para;</a></h2><ul><li>A</li></ul>')
    assert page_questions(html) == [Question("who-can-join", "Who can join?", "Any creator.")]


def test_old_ids_go_inside_the_heading_they_now_belong_to() -> None:
    html = '<h2 id="new">New?</h2><p>A.</p><h2 id="other">Other?</h2>'
    assert add_alias_ids(html, {"old": "new", "older": "new"}) == (
        '<h2 id="new"><a id="old" class="anchor-alias" aria-hidden="true"></a>'
        '<a id="older" class="anchor-alias" aria-hidden="true"></a>New?</h2><p>A.</p><h2 id="other">Other?</h2>'
    )
