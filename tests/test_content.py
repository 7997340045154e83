"""The shipped checklist as an audit instrument: credits, advice per level, stages, measures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from audit import checklists, resources
from audit.model import STAGES, Measure

ECOMMERCE = checklists.load("ecommerce").checklist
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EDESK = '"6 ways to provide exceptional customer service to beat delivery speed" (2018)'
DHL_ARTICLE = 'DHL Express, "Strategies for managing customer expectations"'

# The allowed credits, as the articles give them: the credit text a benchmark may carry, the
# article it comes from, sentences of that article that show the credit is right, and the
# figures it may back, each with the article's own words for it.
CREDITS = {
    "dhl": {
        "source": (
            "Survey by DHL of 900 decision makers in key industries (B2C and B2B business"
            f" owners), reported in {DHL_ARTICLE}; the article gives no survey year"
        ),
        "seed": "000_cded7f5cac0429bd.txt",
        "says": ["في استطلاع أجرته DHL", "المشاركين البالغ عددهم 900 مشارك", "الصناعات الرئيسية"],
        "figures": {
            "31": "و 31٪ من مالكي B2C",
            "38": "38٪ فقط من أصحاب الأعمال B2B",
            "50": "أكثر من 50٪ من المشاركين",
            "44": "قال 44٪ من المشاركين",
            "2": "في غضون ساعتين",
            "41": "(41٪)",
            "36": "مقارنة ب 36٪ في B2C",
            "30": "حوالي 30٪",
            "37": "B2C (37٪)",
            "39": "B2B (39٪)",
            "34": "37٪ و 34٪",
            "40": "أكثر من 40٪",
            "45": "صنفه 45٪",
        },
    },
    "hubspot": {
        "source": f"HubSpot, annual State of Service report 2022, cited in {DHL_ARTICLE}",
        "seed": "000_cded7f5cac0429bd.txt",
        "says": ["وفقا لتقرير حالة الخدمة السنوي في عام 2022", "HubSpot"],
        "figures": {"42": "فإن 42٪ من الشركات لا تقوم بمسح عملائها"},
    },
    "mycustomer": {
        "source": f"MyCustomer research, cited in eDesk, {EDESK}",
        "seed": "002_2354c51e622d5b77.txt",
        "says": ["وفقًا لبحث أجرته MyCustomer"],
        "figures": {"83": "يتوقع 83 بالمائة من المتسوقين"},
    },
    "bigcommerce": {
        "source": f"BigCommerce study, cited in eDesk, {EDESK}",
        "seed": "002_2354c51e622d5b77.txt",
        "says": ["وفقًا لدراسة BigCommerce"],
        "figures": {"32": "أكثر بنسبة 32 ٪"},
    },
    "localytics": {
        "source": f"Localytics, cited in eDesk, {EDESK}",
        "seed": "002_2354c51e622d5b77.txt",
        "says": ["وفقًا لـ Localytics"],
        "figures": {},
    },
    "edesk-study": {
        "source": f"eDesk, {EDESK}; the article does not name the underlying study",
        "seed": "002_2354c51e622d5b77.txt",
        "says": ["نشرت: 2018", "eDesk"],
        "figures": {"96": "يؤكد 96٪", "36": "أن 36٪ فقط", "67": "ينفق العملاء العائدون 67 بالمائة"},
    },
    "edesk-forecast": {
        "source": f"eDesk, {EDESK}; the article does not name the source of the forecast",
        "seed": "002_2354c51e622d5b77.txt",
        "says": ["من المتوقع أنه بحلول عام 2022"],
        "figures": {"5.7": "5.7 مليار", "2022": "بحلول عام 2022"},
    },
    "hebrew-article": {
        "source": (
            'The Hebrew article "Customer expectations" (ציפיות הלקוחות); it names no source'
            ' for its figures ("studies show", "one study found")'
        ),
        "seed": "003_f16302f7fcef4ba7.txt",
        "says": ["מחקרים מראים", "מחקר אחד מצא", "הסטטיסטיקה מראה"],
        "figures": {
            "45": "למעלה מ-45% מהלקוחות",
            "15": "עם 15 אנשים",
            "11": "עם 11 אנשים",
            "91": "ש-91% מהלקוחות",
            "71": "71% מהלקוחות הללו",
        },
    },
}
BY_SOURCE = {credit["source"]: key for key, credit in CREDITS.items()}
BENCHMARKS = [(item, mark) for item in ECOMMERCE.items for mark in item.benchmark]


def figures(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text.replace("B2C", "").replace("B2B", ""))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside the project")
@pytest.mark.parametrize("key", sorted(CREDITS))
def test_the_credits_table_quotes_its_article(key):
    credit = CREDITS[key]
    text = (SEEDS / credit["seed"]).read_text(encoding="utf-8")
    for words in [*credit["says"], *credit["figures"].values()]:
        assert words in text, (key, words)


def test_every_benchmark_carries_an_allowed_credit_and_only_its_figures():
    assert len(BENCHMARKS) >= 25
    for item, mark in BENCHMARKS:
        source = mark.source["en"]
        assert source in BY_SOURCE, (item.id, source)
        allowed = CREDITS[BY_SOURCE[source]]["figures"]
        for figure in figures(mark.text["en"]):
            assert figure in allowed, (item.id, figure, BY_SOURCE[source])


def test_one_translation_per_credit():
    seen: dict[str, dict[str, str]] = {}
    for item, mark in BENCHMARKS:
        key = BY_SOURCE[mark.source["en"]]
        assert seen.setdefault(key, mark.source) == mark.source, (item.id, key)


def test_no_credit_claims_what_the_articles_do_not_say():
    texts = " ".join(f"{m.text['en']} {m.source['en']}" for _, m in BENCHMARKS)
    assert "Birdeye" not in texts  # the Hebrew article names it as a product, not as a study
    assert "2023" not in texts  # the DHL article gives no survey or publication year
    assert "main reason" not in texts  # the author's own answer, not a survey finding
    every = " ".join(
        str(v) for i in ECOMMERCE.items for v in (i.question, i.guidance, i.recommendation)
    )
    for overstatement in (
        "what worries online shoppers most",
        "more than almost anything",
        "most shoppers now buy on their phones",
        "small gift",
        "first marketing responsibility",
        "seriously",
        "emotional connections",
        "neglected",
        "most common reason for abandoning",
    ):
        assert overstatement not in every, overstatement


def test_every_item_has_a_stage_and_advice_for_levels_0_to_3():
    for item in ECOMMERCE.items:
        assert item.stage in STAGES, item.id
        assert set(item.recommendation_by_level) == {0, 1, 2, 3}, item.id
        polish = item.recommendation_by_level[3]["en"]
        assert polish != item.recommendation_by_level[0]["en"], item.id
        assert polish != item.recommendation["en"], item.id


def test_level_three_advice_is_polish_not_a_first_step():
    dig12 = ECOMMERCE.item("DIG-12")
    assert "today" in dig12.recommendation_by_level[0]["en"]
    assert "today" not in dig12.recommendation_by_level[3]["en"]


def test_no_answer_keys_inside_texts():
    keys = re.compile(r"answer\s+['\"(]?(y|n|yes|no|na)\b|\((y|n|na)\)", re.IGNORECASE)
    for item in ECOMMERCE.items:
        for text in (item.question, item.guidance, item.recommendation):
            assert not keys.search(text["en"]), item.id


def test_size_coverage_and_ids():
    assert len(ECOMMERCE.items) >= 90
    for group in ("categories", "strategies"):
        for entry in getattr(ECOMMERCE, group):
            if group == "categories":
                n = sum(i.category == entry.id for i in ECOMMERCE.items)
            else:
                n = sum(entry.id in i.strategy for i in ECOMMERCE.items)
            assert n >= 6, (entry.id, n)
    assert ECOMMERCE.version == "2.0.0"


def test_every_metric_has_a_range_a_known_unit_and_thresholds_inside_it():
    units = {"minutes", "hours", "business hours", "days", "business days", "percent", "points"}
    units.add("score")
    metrics = [i for i in ECOMMERCE.items if i.type == "metric"]
    for item in metrics:
        assert item.range is not None, item.id
        assert item.unit in units, (item.id, item.unit)
        low, high = item.range
        assert all(low <= t <= high for t in item.thresholds), item.id
    measures = {i.measure for i in metrics}
    # every measure `cxaudit measure` computes has its item (dispatch time is left to stores)
    assert set(get_args(Measure)) - measures == {"dispatch-time"}
    questions = " ".join(i.question["en"].lower() for i in metrics)
    for words in ("where is my order", "repeat-purchase", "star rating"):
        assert words in questions, words


def test_one_customer_effort_definition_higher_is_better():
    ces = [i for i in ECOMMERCE.items if i.measure == "ces"]
    assert len(ces) == 1
    (item,) = ces
    assert item.better == "higher" and item.range == [1, 7]
    assert "strongly agree" in item.question["en"]
    resolution = next(i for i in ECOMMERCE.items if i.measure == "resolution-time")
    assert resolution.unit == "business hours" and "median" in resolution.question["en"]
    assert "resolved when" in resolution.guidance["en"]


def test_practices_to_avoid_score_high_only_on_a_checked_absence():
    avoid = [i for i in ECOMMERCE.items if i.id.startswith("AVD-")]
    slow = next(i for i in ECOMMERCE.items if i.measure == "first-reply-time")
    assert len(avoid) >= 4
    for item in [*avoid, slow]:
        assert item.type == "metric" and item.better == "lower", item.id
        assert "practice" in item.guidance["en"], item.id
    for item in avoid:
        assert item.thresholds[-1] <= 3, item.id  # top level: (almost) none in the sample


def test_weights_and_critical_flags_argued_from_the_articles():
    item = ECOMMERCE.item
    assert item("EXP-03").critical and item("EXP-03").weight_for("b2c") == 5
    for segment in ("b2c", "b2b"):
        assert item("DYN-02").weight_for(segment) >= item("DYN-01").weight_for(segment)
    for b2b_essential in ("EXP-10", "INT-08"):
        assert item(b2b_essential).critical and item(b2b_essential).segments == ["b2b"]
    # where the DHL survey splits B2C and B2B, the weights follow it
    assert item("TEC-01").weight_for("b2b") > item("TEC-01").weight_for("b2c")
    assert item("EXP-06").weight_for("b2c") > item("EXP-06").weight_for("b2b")


def test_technological_items_are_about_the_product_category():
    tech = [i for i in ECOMMERCE.items if i.category == "technological"]
    assert len(tech) >= 6
    for moved in ("TEC-05", "TEC-06", "TEC-07", "TEC-08"):  # the store's own tooling
        assert ECOMMERCE.item(moved).category != "technological", moved


def test_coverage_the_articles_and_a_reviewer_ask_for():
    questions = " ".join(i.question["en"].lower() for i in ECOMMERCE.items)
    for words in (
        "customise",
        "acknowledged at once",
        "meet at least monthly",
        "engaged",
        "delivered price",
        "guest",
        "basket survive",
        "payment logos",
        "negative ones included",
        "size guide",
        "who runs it",
        "right of withdrawal",
        "including tax",
        "lost, damaged",
        "are refunds paid within",
    ):
        assert words in questions, words


def test_the_released_versions_are_kept_in_history():
    """Old audits keep a copy to score against: the current versions are released there too."""
    home = resources.checklists_dir()
    for name in ("ecommerce", "quick"):
        current = checklists.load(name)
        kept = checklists.load(home / "history" / f"{name}-{current.checklist.version}.yaml")
        dump = current.checklist.model_dump(warnings=False)
        assert kept.checklist.model_dump(warnings=False) == dump, name
    # quick's copy is resolved: it must not follow ecommerce when ecommerce changes
    assert "\nextends:" not in (home / "history" / "quick-2.0.0.yaml").read_text(encoding="utf-8")
