"""The language check (R7.5): stigmatising words are found; person-first wording passes."""

from __future__ import annotations

import pytest

from forms.language import SUGGESTIONS, stigmatising_terms, text_of


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("She is an addict.", "addict"),
        ("Services for ADDICTS", "addict"),
        ("a known junkie", "junkie"),
        ("Junkies were seen nearby", "junkie"),
        ("a drug abuser", "drug abuser"),
        ("drug abusers", "drug abuser"),
        ("a substance abuser", "substance abuser"),
        ("a drug misuser", "drug misuser"),
        ("substance misusers", "substance misuser"),
        ("a history of drug abuse", "drug abuse"),
        ("alcohol abuse", "alcohol abuse"),
        ("an abuser", "abuser"),
        ("she became addicted", "addicted"),
        ("a drug-addicted mother", "drug-addicted"),
        ("a drug addicted mother", "drug-addicted"),
        ("her partner is an alcoholic", "alcoholic"),
        ("both are Alcoholics", "alcoholic"),
        ("a crack baby", "crack baby"),
        ("so-called crack babies", "crack baby"),
        ("she gave a clean urine", "clean test result"),
        ("two clean samples", "clean test result"),
        ("a clean drug test", "clean test result"),
        ("a dirty urine", "dirty test result"),
        ("the dirty sample", "dirty test result"),
        ("Dirty  screens", "dirty test result"),
        ("she has stayed clean since May", "got clean"),
        ("she got clean last year", "got clean"),
        ("trying to get clean", "got clean"),
        ("she lost her baby", "lost her baby"),
        ("afraid to lose her baby", "lost her baby"),
        ("she lost the baby to care", "lost her baby"),
        ("she failed to engage", "failed to engage"),
        ("failure to engage with services", "failed to engage"),
        ("she refused to engage", "refused to engage"),
        ("non-engagement with midwifery", "non-engagement"),
        ("non-compliant with the plan", "non-compliant"),
        ("noncompliant", "non-compliant"),
        ("NON-COMPLIANCE", "non-compliant"),
    ],
)
def test_each_stigmatising_term_is_found(text: str, term: str):
    assert stigmatising_terms(text) == [term]
    assert term in SUGGESTIONS


@pytest.mark.parametrize(
    "text",
    [
        "a woman who uses drugs",
        "a person who uses drugs",
        "the drug treatment service",
        "Northmoor Addiction Services",
        "her addiction worker",
        "the substance misuse service",
        "drug misuse",
        "her baby was placed in care",
        "she was placed in care",
        "a clean room",
        "cleaning the flat",
        "a clean, warm home",
        "dirty laundry",
        "the emotional abuse category",
        "sexual abuse",
        "Alcoholics Anonymous meets on Tuesdays",
        "non-alcoholic drinks",
        "she engages well with the midwife",
        "the baby was born at 38 weeks",
        "a negative test result",
        "she is in recovery",
        "keep the baby clean and warm",
    ],
)
def test_person_first_wording_is_not_flagged(text: str):
    assert stigmatising_terms(text) == []


def test_terms_inside_longer_words_are_not_flagged():
    assert stigmatising_terms("addictive games, abusers-free, junkiest, uncleanly") == ["abuser"]
    assert stigmatising_terms("addictive junkyard nonaddict addicting") == []


def test_html_is_read_as_text_case_insensitively():
    html = (
        "<html><head><title>Letter</title><style>.addict { color: red }</style></head>"
        "<body><p>She is an <strong>ADDICT</strong>.</p>"
        "<p>Her test was <em>dirty</em> <span>urine</span>.</p></body></html>"
    )
    assert stigmatising_terms(html) == ["addict", "dirty test result"]


def test_alt_and_title_text_are_read_but_markup_is_not():
    assert stigmatising_terms('<img alt="a junkie" src="x">') == ["junkie"]
    assert stigmatising_terms('<p class="addict" data-x="junkie">Hello</p>') == []


def test_entities_are_decoded_before_matching():
    assert stigmatising_terms("<p>failed&nbsp;to&#32;engage</p>") == ["failed to engage"]


def test_words_in_separate_cells_are_separate():
    html = "<table><tr><td>Got</td><td>Clean</td></tr></table>"
    # Two cells still read as neighbouring words, which is how a screen reader says them.
    assert stigmatising_terms(html) == ["got clean"]
    assert text_of("<td>add</td><td>ict</td>") == "add ict"
    assert text_of("add<b>ict</b>") == "addict"


def test_each_term_is_reported_once_in_order_of_first_use():
    text = "The junkie and another addict; addicts and junkies; she failed to engage."
    assert stigmatising_terms(text) == ["junkie", "addict", "failed to engage"]


def test_every_suggestion_is_itself_clean():
    for term, suggestion in SUGGESTIONS.items():
        assert stigmatising_terms(suggestion) == [], term


def test_text_of_skips_scripts_and_styles():
    assert text_of("<style>p{}</style><script>var addict;</script><p>Hi</p>") == "Hi"
