"""Scoring, checked against values computed by hand from tests/data/mini.yaml."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit import checklists
from audit.judgement import scoring
from audit.model import Answer, Audit, ChecklistRef, Item, Store

from .conftest import DATA

MINI = checklists.load(DATA / "mini.yaml").checklist
STAMP = datetime(2026, 11, 23, tzinfo=UTC)


def audit_of(answers: dict[str, dict], segment: str = "b2c") -> Audit:
    return Audit(
        cxaudit=1,
        checklist=ChecklistRef(id="mini", version="1.2.0"),
        store=Store(name="Test shop", segment=segment),
        started=STAMP,
        updated=STAMP,
        answers={k: Answer(**v) for k, v in answers.items()},
    )


# A1 level 3 (w2), A2 level 4 (w1 for b2c, 3 for b2b), B1 "yes" on an inverted item: level 0 (w4),
# B2 NPS 25: level 2 (w1), B3 30 hours, better lower [72, 48, 24, 8]: level 2 (w3, b2b only).
ANSWERS = {
    "A1": {"score": 3, "note": "mostly"},
    "A2": {"score": 4},
    "B1": {"answer": "yes"},
    "B2": {"value": 25},
    "B3": {"value": 30},
}


def test_b2c_scores_by_hand():
    result = scoring.score(MINI, audit_of(ANSWERS))
    # (2*75 + 1*100 + 4*0 + 1*50) / (2+1+4+1) = 300/8
    assert result.overall.score == 37.5
    assert result.overall.band == "falls short"
    assert result.categories["c1"].score == 83.33  # (150 + 100) / 3
    assert result.categories["c1"].band == "meets"
    assert result.categories["c2"].score == 10.0  # (0 + 50) / 5
    assert result.strategies["s1"].score == 83.33  # A1, A2 (B3 is b2b only)
    assert result.strategies["s2"].score == 25.0  # A2 counts fully in s2 too: (100 + 0 + 50) / 6
    assert result.completion == scoring.Completion(items=4, answered=4, na=0, unanswered=0)


def test_gaps_red_flags_quick_wins_and_plan_by_hand():
    result = scoring.score(MINI, audit_of(ANSWERS))
    # impacts: B1 4*(4-0)/4 = 4; B2 1*(4-2)/4 = 0.5. A1 at level 3 is polish, not a gap.
    assert [(g.id, g.impact) for g in result.gaps] == [("B1", 4.0), ("B2", 0.5)]
    assert [g.id for g in result.polish] == ["A1"]
    assert result.strengths == ["A2"]
    assert result.red_flags == ["B1"]
    assert result.quick_wins == ["B2"]  # A1 is low effort but at level 3
    assert result.plan == {"30": ["B1", "B2"], "60": [], "90": [], "backlog": []}
    # Each action is worded as the recommendation for the item's level, due 30 days on.
    assert result.actions["B1"].text == "Answer within a day."
    assert result.actions["B1"].due == "2026-12-23"
    assert (result.actions["B1"].target, result.actions["B1"].status) == (3, "open")


def test_b2b_uses_segment_weights_and_asks_b2b_items():
    result = scoring.score(MINI, audit_of(ANSWERS, segment="b2b"))
    # (2*75 + 3*100 + 4*0 + 1*50 + 3*50) / (2+3+4+1+3) = 650/13
    assert result.overall.score == 50.0
    assert result.overall.band == "partly meets"
    assert result.completion.items == 5
    assert result.items["A2"].weight == 3


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "exceeds"),
        (85, "exceeds"),
        (84.99, "meets"),
        (70, "meets"),
        (69.99, "partly meets"),
        (50, "partly meets"),
        (49.99, "falls short"),
        (0, "falls short"),
        (None, None),
    ],
)
def test_bands(score, band):
    assert scoring.band(score) == band


@pytest.mark.parametrize(
    ("value", "level"), [(-5, 0), (0, 1), (19.9, 1), (20, 2), (40, 3), (59, 3), (60, 4), (100, 4)]
)
def test_metric_levels_higher_is_better(value, level):
    assert MINI.item("B2").level_of(Answer(value=value)) == level


@pytest.mark.parametrize(
    ("value", "level"), [(100, 0), (72, 1), (48, 2), (30, 2), (24, 3), (8, 4), (1, 4)]
)
def test_metric_levels_lower_is_better(value, level):
    assert MINI.item("B3").level_of(Answer(value=value)) == level


def test_yes_no_and_inverted():
    inverted = MINI.item("B1")
    plain = inverted.model_copy(update={"inverted": False})
    assert inverted.level_of(Answer(answer="yes")) == 0
    assert inverted.level_of(Answer(answer="no")) == 4
    assert plain.level_of(Answer(answer="yes")) == 4


def test_na_is_excluded_from_every_average():
    result = scoring.score(MINI, audit_of({**ANSWERS, "A2": {"na": True}}))
    assert result.overall.score == 28.57  # (150 + 0 + 50) / 7
    assert result.categories["c1"].score == 75.0
    assert result.categories["c1"].na == 1
    assert result.completion.na == 1


def test_unanswered_group_is_not_assessed_not_zero():
    result = scoring.score(MINI, audit_of({"A1": {"score": 4}}))
    assert result.categories["c2"].score is None
    assert result.categories["c2"].band is None
    assert result.categories["c2"].unanswered == 2
    assert result.completion.unanswered == 3


def test_orphans_are_reported_and_do_not_count():
    result = scoring.score(MINI, audit_of({**ANSWERS, "OLD-01": {"score": 0}}))
    assert result.orphans == ["OLD-01"]
    assert result.overall.score == 37.5


def test_gap_ties_break_by_critical_then_effort_then_id():
    items = [
        it.model_copy(update={"weight": 2, "critical": False, "effort": "medium"})
        for it in MINI.items
        if it.type == "scale"
    ]
    a1, a2 = items
    a1 = a1.model_copy(update={"effort": "high"})
    checklist = MINI.model_copy(update={"items": [a1, a2]})
    result = scoring.score(checklist, audit_of({"A1": {"score": 2}, "A2": {"score": 2}}))
    assert [g.id for g in result.gaps] == ["A2", "A1"]  # same impact: lower effort first
    checklist = MINI.model_copy(update={"items": [a1.model_copy(update={"effort": "medium"}), a2]})
    result = scoring.score(checklist, audit_of({"A1": {"score": 2}, "A2": {"score": 2}}))
    assert [g.id for g in result.gaps] == ["A1", "A2"]  # then by id


# --- properties, over the full shipped checklist ------------------------------------------

ECOMMERCE = checklists.load("ecommerce").checklist


def answer_for(item: Item, level: int | None) -> Answer | None:
    """An answer that gives `level` (None: N/A)."""
    if level is None:
        return Answer(na=True)
    if item.type == "yesno":
        wants_yes = (level == 4) != item.inverted
        return Answer(answer="yes" if wants_yes else "no")
    if item.type == "metric":
        t = item.thresholds
        if item.better == "lower":
            return Answer(value=t[0] + 1 if level == 0 else t[level - 1])
        return Answer(value=t[0] - 1 if level == 0 else t[level - 1])
    return Answer(score=level)


ids = [item.id for item in ECOMMERCE.items]
answer_sets = st.dictionaries(st.sampled_from(ids), st.one_of(st.none(), st.integers(0, 4)))


def audit_from(levels: dict[str, int | None], segment: str) -> Audit:
    audit = audit_of({}, segment)
    audit.answers = {i: answer_for(ECOMMERCE.item(i), lv) for i, lv in levels.items()}
    return audit


@settings(max_examples=150, deadline=None)
@given(answer_sets, st.sampled_from(["b2c", "b2b"]))
def test_scores_stay_within_0_and_100(levels, segment):
    result = scoring.score(ECOMMERCE, audit_from(levels, segment))
    groups = [result.overall, *result.categories.values(), *result.strategies.values()]
    for group in groups:
        assert group.score is None or 0 <= group.score <= 100
    for row in result.matrix.values():
        assert all(v is None or 0 <= v <= 100 for v in row.values())
    assert all(0 <= g.impact <= 5 for g in result.gaps)


@settings(max_examples=150, deadline=None)
@given(answer_sets, st.sampled_from(ids), st.sampled_from(["b2c", "b2b"]), st.data())
def test_raising_an_answer_never_lowers_the_overall_score(levels, item_id, segment, data):
    assume(ECOMMERCE.item(item_id).applies_to(segment))  # else it is neither asked nor scored
    before_level = levels.get(item_id)
    if before_level is None or before_level == 4:
        before_level = data.draw(st.integers(0, 3))
    higher = data.draw(st.integers(before_level + 1, 4))
    before = scoring.score(ECOMMERCE, audit_from({**levels, item_id: before_level}, segment))
    after = scoring.score(ECOMMERCE, audit_from({**levels, item_id: higher}, segment))
    assert after.overall.score >= before.overall.score


@settings(max_examples=150, deadline=None)
@given(answer_sets, st.sampled_from(ids), st.sampled_from(["b2c", "b2b"]))
def test_na_on_one_item_never_changes_the_others(levels, item_id, segment):
    with_na = scoring.score(ECOMMERCE, audit_from({**levels, item_id: None}, segment))
    without = {k: v for k, v in levels.items() if k != item_id}
    unanswered = scoring.score(ECOMMERCE, audit_from(without, segment))
    assert with_na.overall.score == unanswered.overall.score
    for other, res in with_na.items.items():
        if other != item_id:
            assert res.weight == unanswered.items[other].weight
            assert res.level == unanswered.items[other].level
    for key, group in with_na.categories.items():
        assert group.score == unanswered.categories[key].score


def test_evidence_counts_each_answered_item_once_by_its_strongest_kind():
    answers = {
        "A1": {"score": 3, "evidence": [{"kind": "observed", "ref": "https://shop.example"}]},
        "A2": {"score": 4, "evidence": [{"kind": "document"}, {"kind": "measured", "n": 40}]},
        "B1": {"answer": "yes"},  # no evidence: the owner's word
        "B2": {"value": 25, "evidence": [{"kind": "test"}]},
        "B3": {"value": 30, "evidence": [{"kind": "measured"}]},  # b2b only: not counted
    }
    result = scoring.score(MINI, audit_of(answers))
    assert result.evidence == {
        "observed": 1,
        "test": 1,
        "measured": 1,
        "document": 0,
        "reported": 1,
    }
