"""The ABS leader evaluation's three forms as data: counts, scales, N/A and raters as in
the seed (Johnson et al. 2004, Appendix 1), written in the project's own words; stored as
numbers only, and ratings stored before the other forms existed still read."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from review_helpers import HAND, save_scenario

from balint_tui.review.abs_items import (
    FORM_IDS,
    RatingError,
    check_rater,
    check_rating,
    form,
    forms,
    overall_mean,
    section_means,
)
from balint_tui.store.errors import CorruptFileError, StoreError
from balint_tui.store.store import Store

HERE = Path(__file__).parent
FINGERPRINT = HERE / "review" / "seed_forms_fingerprint.txt"
SEED = Path("/work/shared/seeds/000_730fb68a28575812.txt")
WORDS, LETTERS = 5, 28


def test_three_forms_with_the_seeds_counts_sections_and_scales():
    assert tuple(forms()) == FORM_IDS == ("member", "presenter", "coleader")
    member, presenter, coleader = forms().values()
    # group member's form: 20 items in three sections of 7, 6 and 7; never..always, N/A
    assert [len(s.items) for s in member.sections] == [7, 6, 7]
    assert (member.scale_low, member.scale_high, member.na) == ("never", "always", True)
    assert member.raters == ()
    # presenter's form: 11 items, one section; never..always, N/A; presenter or leader
    assert [len(s.items) for s in presenter.sections] == [11]
    assert (presenter.scale_low, presenter.scale_high, presenter.na) == ("never", "always", True)
    assert presenter.rater_ids == ("presenter", "leader")
    # coleader's form: 3 on the case and climate, 13 on the co-leader; agreement, no N/A
    assert [len(s.items) for s in coleader.sections] == [3, 13]
    assert coleader.labels == ("strongly disagree", "disagree", "undecided", "agree",
                               "strongly agree")
    assert coleader.na is False
    assert coleader.rater_ids == ("leader", "coleader")
    # every id unique across the forms (ratings are stored under them)
    ids = [i for f in forms().values() for i in f.item_ids]
    assert len(ids) == len(set(ids)) == 47
    # the items the issue names are there
    labels = " / ".join(i.label.lower() for i in presenter.items + coleader.items)
    for words in ("safe and backed up", "teaching point", "therapist", "teacher"):
        assert words in labels


def _shingles(text: str) -> tuple[set[str], set[str]]:
    words = re.findall(r"[a-z]+", text.lower())
    letters = "".join(words)

    def h(s: str) -> str:
        return hashlib.sha256(s.encode()).hexdigest()[:12]

    return ({h(" ".join(words[i:i + WORDS])) for i in range(len(words) - WORDS + 1)},
            {h(letters[i:i + LETTERS]) for i in range(len(letters) - LETTERS + 1)})


def _fingerprint() -> tuple[set[str], set[str]]:
    w, l_ = set(), set()
    for line in FINGERPRINT.read_text().splitlines():
        if line.startswith("w "):
            w.add(line[2:])
        elif line.startswith("l "):
            l_.add(line[2:])
    return w, l_


def test_form_texts_are_the_projects_own_words():
    """No label, title or section shares 5 words in a row (or 28 letters, so OCR-split
    words count) with the seed's forms: paraphrased, never copied. The seed itself is
    not in the repository; its fingerprint is."""
    seed_words, seed_letters = _fingerprint()
    assert len(seed_words) > 400 and len(seed_letters) > 2000
    for f in forms().values():
        texts = [f.title, f.rated, *(s.title for s in f.sections), *(i.label for i in f.items)]
        for text in texts:
            words, letters = _shingles(text)
            assert not words & seed_words, (f.id, text)
            assert not letters & seed_letters, (f.id, text)
    # the check would catch a copied item
    copied_words, _ = _shingles("I felt protected and supported by the leader")
    assert copied_words & seed_words


@pytest.mark.skipif(not SEED.exists(), reason="the seed is not on this machine")
def test_fingerprint_matches_the_seed():
    lines = SEED.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Appendix 1" and i > 400)
    assert _shingles("\n".join(lines[start:])) == _fingerprint()


def test_check_rating_per_form():
    assert check_rating({"presenter.hope": 4, "presenter.stuck": None}, "presenter") == {
        "presenter.hope": 4, "presenter.stuck": None}
    assert check_rating({"coleader.team": 5}, "coleader") == {"coleader.team": 5}
    with pytest.raises(RatingError, match="no N/A"):
        check_rating({"coleader.team": None}, "coleader")
    with pytest.raises(RatingError, match="unknown rating item"):
        check_rating({"model.roles": 3}, "coleader")  # a member's-form item
    for bad in (0, 6, 2.5, True, "4"):
        with pytest.raises(RatingError):
            check_rating({"presenter.hope": bad}, "presenter")
    assert check_rater("presenter", "presenter") == "presenter"
    assert check_rater("coleader", None) is None
    with pytest.raises(RatingError):
        check_rater("presenter", "coleader")
    with pytest.raises(RatingError):
        check_rater("member", "leader")  # the self-rating has no choice of rater


def test_section_means_count_reverse_items_the_other_way():
    values = {"coleader.team": 4, "coleader.therapist": 5, "climate.group-responsive": 2,
              "climate.complicated": 5}  # context: in no mean
    assert form("coleader").items[13].reverse  # too readily a therapist
    assert section_means(values, "coleader") == {"climate": 2.0, "coleader": 2.5}
    assert overall_mean(values, "coleader") == pytest.approx((4 + 1 + 2) / 3)
    assert section_means({}, "presenter") == {"presenter": None}


@pytest.fixture
def store(store):
    save_scenario(store, HAND, session_id="shand01")
    return store


def test_store_keeps_each_form_numbers_only(store):
    store.save_rating("shand01", {"model.roles": 4})
    store.save_form_rating("shand01", "presenter", {"presenter.hope": None, "presenter.stuck": 2})
    store.save_rater("shand01", "presenter", "presenter")
    store.save_form_rating("shand01", "coleader", {"coleader.team": 5})
    store.save_rater("shand01", "coleader", "coleader")
    store.save_talked("shand01", [9, 3, 3])
    rated = store.session_ratings("shand01")
    assert rated.forms == {"member": {"model.roles": 4},
                           "presenter": {"presenter.hope": None, "presenter.stuck": 2},
                           "coleader": {"coleader.team": 5}}
    assert rated.raters == {"presenter": "presenter", "coleader": "coleader"}
    assert rated.talked == (3, 9)
    assert store.rating("shand01") == {"model.roles": 4}  # the self-rating, as before
    for call in (
        lambda: store.save_form_rating("shand01", "coleader", {"coleader.team": None}),
        lambda: store.save_form_rating("shand01", "presenter", {"presenter.hope": 7}),
        lambda: store.save_form_rating("shand01", "presenter", {"a comment": 3}),
        lambda: store.save_form_rating("shand01", "notes", {}),
        lambda: store.save_rater("shand01", "presenter", "Ana"),
        lambda: store.save_rater("shand01", "member", "leader"),
        lambda: store.save_talked("shand01", ["the silence"]),
        lambda: store.save_talked("shand01", [-1]),
        lambda: store.save_talked("snosuch1", [1]),
    ):
        with pytest.raises(StoreError) as info:
            call()
        assert "\n" not in str(info.value)
    assert store.session_ratings("shand01") == rated  # nothing changed


def _index(store) -> dict:
    return json.loads((store.data_dir / "index.json").read_text())


def test_ratings_stored_before_the_other_forms_still_read(store, tmp_path):
    """A ratings document of the shape 0.1 wrote ({session_id, items}) reads as the
    self-rating, with the other forms empty; saving another form keeps it."""
    store.close()
    data = tmp_path / "data"
    index = json.loads((data / "index.json").read_text())
    index["ratings"] = {"1": {"session_id": "shand01", "items": {"model.roles": 3,
                                                                  "safety.trust": None}}}
    (data / "index.json").write_text(json.dumps(index))
    with Store.open(data) as again:
        assert again.rating("shand01") == {"model.roles": 3, "safety.trust": None}
        rated = again.session_ratings("shand01")
        assert rated.of("presenter") == {} and rated.raters["coleader"] is None
        assert rated.talked == ()
        again.save_rater("shand01", "coleader", "leader")
        assert again.rating("shand01") == {"model.roles": 3, "safety.trust": None}
        assert _index(again)["ratings"]["1"]["items"] == {"model.roles": 3, "safety.trust": None}


@pytest.mark.parametrize("doc", [
    {"presenter": {"presenter.hope": "often"}},
    {"coleader": {"coleader.team": None}},
    {"presenter_rater": "the presenter herself"},
    {"talked": ["a silence"]},
    {"talked": "3"},
])
def test_a_damaged_ratings_document_is_damage_not_empty(tmp_path, doc):
    data = tmp_path / "data"
    with Store.open(data) as store:
        save_scenario(store, HAND, session_id="shand01")
    index = json.loads((data / "index.json").read_text())
    index["ratings"] = {"1": {"session_id": "shand01", **doc}}
    (data / "index.json").write_text(json.dumps(index))
    with Store.open(data) as store, pytest.raises(CorruptFileError):
        store.session_ratings("shand01")


def test_trends_keep_apart_who_rated(tmp_path):
    """The presenter's own answers apart from the leader's guess of them; the leader
    rating the coleader apart from the coleader rating the leader; a rater not said
    apart from both (shown only when a session has one)."""
    from review_helpers import SIXTY

    from balint_tui.review.load import group_trend, load_review
    from balint_tui.review.report import build_report, to_markdown
    from balint_tui.ui.review.charts import TrendsPanel

    with Store.open(tmp_path / "d") as store:
        save_scenario(store, HAND, day=0, session_id="sone1")
        save_scenario(store, SIXTY, day=1, session_id="stwo1")
        save_scenario(store, HAND, day=2, session_id="sthree1")
        store.save_form_rating("sone1", "presenter", {"presenter.hope": 2, "presenter.stuck": 4})
        store.save_rater("sone1", "presenter", "presenter")
        store.save_form_rating("stwo1", "presenter", {"presenter.hope": 5})
        store.save_rater("stwo1", "presenter", "leader")
        store.save_form_rating("sone1", "coleader", {"coleader.teacher": 5})  # reverse item
        store.save_rater("sone1", "coleader", "leader")
        store.save_form_rating("stwo1", "coleader", {"coleader.team": 4,
                                                     "climate.complicated": 4})
        store.save_rater("stwo1", "coleader", "coleader")
        points = group_trend(store, load_review(store, "stwo1"))
        store.save_form_rating("sthree1", "presenter", {"presenter.hope": 1})  # no rater
        review = load_review(store, "sthree1")
        later = group_trend(store, review)
    sections = [p.form_sections for p in points]
    assert [s.get("presenter:presenter", {}).get("presenter") for s in sections] == [3.0, None]
    assert [s.get("presenter:leader", {}).get("presenter") for s in sections] == [None, 5.0]
    assert [s.get("coleader:leader", {}).get("coleader") for s in sections] == [1.0, None]
    assert [s.get("coleader:coleader", {}).get("coleader") for s in sections] == [None, 4.0]
    # the case's complexity is context: in no mean
    assert sections[1]["coleader:coleader"]["climate"] is None
    assert sections[0]["member"] == {"model": None, "safety": None, "process": None}
    text = "\n".join(str(line) for line in TrendsPanel(points).render().split())
    for label in ("self model", "pres. ", "pres. guess", "L on co. climate",
                  "co. on L coleader"):
        assert label in text
    assert "pres.?" not in text and "co.?" not in text
    assert later[-1].form_sections["presenter:-"] == {"presenter": 1.0}
    assert "pres.?" in "\n".join(str(line) for line in TrendsPanel(later).render().split())
    md = to_markdown(build_report(review, later))
    for title in ("Presenter's form, rated by the presenter, on this screen",
                  "Presenter's form, imagined by the leader",
                  "Presenter's form, who rated not said",
                  "Coleader's form, the leader rates the coleader",
                  "Coleader's form, the coleader rates the leader"):
        assert title in md

MEANING = HERE / "review" / "forms_meaning.toml"


def _meaning() -> dict:
    import tomllib

    return tomllib.loads(MEANING.read_text())["item"]


def _means(label: str, words: list[str]) -> bool:
    text = " " + re.sub(r"[^a-z]+", " ", label.lower().replace("’", "'").replace("'", ""))
    return any(f" {w}" in text for w in words)


def test_form_labels_carry_the_meaning_of_appendix_1():
    """Each item says what its item in the seed means: the ideas listed for it in the
    fingerprint of Appendix 1's meaning, none of the words that changed it."""
    meaning = _meaning()
    items = {i.id: i for f in forms().values() for i in f.items}
    assert set(meaning) == set(items)
    wrong = []
    for item_id, m in meaning.items():
        label = items[item_id].label
        wrong += [(item_id, label, group) for group in m["means"] if not _means(label, group)]
        wrong += [(item_id, label, w) for w in m.get("never", []) if _means(label, [w])]
    assert wrong == []
    # the check would catch the earlier wording
    assert not _means("I see where my patient and I got stuck together", ["may have",
                                                                          "might have"])
    assert _means("I named moods in the room linked to the case", ["named"])


def test_context_items_stay_out_of_the_means():
    coleader = form("coleader")
    assert [i.id for i in coleader.items if i.context] == ["climate.complicated"]
    values = {"climate.complicated": 5, "climate.group-responsive": 2}
    assert section_means(values, "coleader")["climate"] == 2.0
    assert overall_mean(values, "coleader") == 2.0
    assert section_means({"climate.complicated": 5}, "coleader")["climate"] is None


def test_the_self_rating_says_it_is_the_members_view_imagined():
    assert "members' view" in form("member").rated and "imagine" in form("member").rated


@pytest.mark.skipif(not SEED.exists(), reason="the seed is not on this machine")
def test_meaning_fingerprint_is_of_the_seeds_items():
    """The meaning file's items are the seed's items, in the forms' order."""
    lines = SEED.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Appendix 1" and i > 400)
    rows, on = [], False
    for line in lines[start:]:
        text = line.strip()
        if re.search(r"1 2 3 4 5( N/A)?$", text):
            on = True
        elif not text or text.startswith("Comment"):
            on = False
        elif on:
            rows.append(text)
    ids = [i for f in forms().values() for i in f.item_ids]
    meaning = _meaning()
    assert len(rows) == len(ids) == len(meaning)
    for item_id, row in zip(ids, rows, strict=True):
        key = "".join(re.findall(r"[a-z]+", row.lower()))
        assert hashlib.sha256(key.encode()).hexdigest()[:12] == meaning[item_id]["seed"], row
