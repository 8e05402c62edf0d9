"""Tests for quote verification against the real seed article and small transcripts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefgen.source.model import Briefing, Speaker, Turn
from briefgen.verify.evidence import Passage, names_for, prose_passages, transcript_passages
from briefgen.verify.quotes import Status, verify_briefing, verify_quote
from briefgen.verify.text import normalise

# The Korea Herald article of the seed (8 August 2019), one paragraph per blank-line block.
ARTICLE = "\n\n".join(
    [
        "‘Soul-searching needed for Korea, Japan, over trade row’",
        (
            "A senior US official said Wednesday that South Korea and Japan should do some "
            "“soul-searching” about the political decisions that have damaged their ties, and "
            "called for calm words from its leaders."
        ),
        (
            "Marc Knapper, US Deputy Assistant Secretary of State for East Asia, told a US "
            "think tank that it was critical to ensure “productive and constructive "
            "relationships” between the US allies in the face of “shared challenges posed by "
            "North Korea, Russia and China.”"
        ),
        (
            "“We believe that some soul-searching is in order about political decisions that "
            "have damaged bilateral trust in recent months,” Knapper said in his opening "
            "remarks at a seminar on the Korea-Japan trade dispute hosted by the Heritage "
            "Foundation in Washington on Wednesday."
        ),
        (
            "“By the same token, we believe that some prudence is required to prevent tensions "
            "from contaminating the economic and security aspects of Japan-South Korea ties. "
            "Calm, confident words from national leaders, we believe, will generate a similar "
            "response for their nations.”"
        ),
        (
            "Mentioning a recent joint patrol by Russian and Chinese aircraft as “a direct "
            "challenge to our three countries, and an attempt to take advantage of the current "
            "frictions in Japan-South Korea relations,” Knapper said “we must not let "
            "challengers in the region drive a further wedge between and among our three "
            "countries.”"
        ),
        (
            "The US believes that Korea and Japan “can find a space for creative solution” and "
            "“will continue engaging on this issue and stands ready to facilitate dialogue” "
            "between its two allies, Knapper said."
        ),
        (
            "Emphasizing the US alliance with Korea and Japan as the key driver of peace, "
            "stability and prosperity in Northeast Asia for the past six decades, the US "
            "official added that the three countries “share bonds based on values” such as a "
            "shared commitment to human rights, freedom of religion, the rule of law, free and "
            "open markets, and high standards for the free flow of commerce and trade."
        ),
        (
            "“We believe that Japan and Korea each suffer consequences when their bilateral "
            "ties worsen. And we believe that each bears responsibility for improving their "
            "relations,” Knapper said."
        ),
        (
            "During the discussion that followed, Scott Snyder, a senior fellow for Korean "
            "studies at the Council on Foreign Relations, criticized the Moon Jae-in "
            "administration for “not taking the political leadership necessary to protect the "
            "relationship with Japan from domestic political spillover, which is arguably in "
            "Japan’s longer-term strategic interest.”"
        ),
        (
            "“The Moon administration has yet to realize an optimal balance between domestic "
            "and foreign affairs,” Snyder said, adding that he would like to see the South "
            "Korean government paying compensation domestically to the victims of wartime "
            "forced labor while trying to pursue a dialogue with Japan."
        ),
        (
            "Yuki Tatsumi, a senior fellow at the Stimson Center who previously worked at the "
            "Japanese Embassy in Washington, repeated Tokyo’s position that its export "
            "restrictions were not a retaliatory move."
        ),
        (
            "Japan decided to remove Korea from a “whitelist” of countries given preferential "
            "treatment in export procedures last week, a month after it imposed restrictions on"
            " Korea-bound exports of three key materials used to manufacture semiconductor and "
            "displays. Those moves by Tokyo are widely seen as retaliation for Korean court "
            "rulings ordering Japanese companies to compensate Koreans forced to work for them "
            "during World War II."
        ),
        (
            "Moon condemned Japan’s action as “very reckless,” and warned that Tokyo would be "
            "held accountable for future developments."
        ),
        (
            "Seoul has also threatened to revoke a military information-sharing pact with "
            "Japan, which could undermine trilateral cooperation with the US on North Korea’s "
            "nuclear threats."
        ),
        "By Kim So-hyun",
    ]
)

SPEAKERS = [
    Speaker(
        id="knapper",
        name="Marc Knapper",
        aliases=["A senior US official"],
        title="Deputy Assistant Secretary of State for East Asia",
        affiliation="US Department of State",
        present=True,
    ),
    Speaker(
        id="snyder",
        name="Scott Snyder",
        title="Senior Fellow for Korean Studies",
        affiliation="Council on Foreign Relations",
        present=True,
    ),
    Speaker(
        id="tatsumi",
        name="Yuki Tatsumi",
        title="Senior Fellow",
        affiliation="Stimson Center",
        present=True,
    ),
    Speaker(
        id="moon",
        name="Moon Jae-in",
        native_name="문재인",
        title="President",
        affiliation="Republic of Korea",
        present=False,
    ),
    Speaker(
        id="kim",
        name="Kim So-hyun",
        title="Reporter",
        affiliation="The Korea Herald",
        present=False,
    ),
]
PEOPLE = {s.id: names_for(s) for s in SPEAKERS}


@pytest.fixture(scope="module")
def article() -> list[Passage]:
    """Return the seed article's paragraphs, attributed."""
    return prose_passages(ARTICLE, PEOPLE)


# Every direct quote of the article: (speaker, quote, paragraph).
DIRECT_QUOTES = [
    ("knapper", "soul-searching", "p-1"),
    ("knapper", "productive and constructive relationships", "p-2"),
    ("knapper", "shared challenges posed by North Korea, Russia and China.", "p-2"),
    (
        "knapper",
        "We believe that some soul-searching is in order about political decisions that have "
        "damaged bilateral trust in recent months,",
        "p-3",
    ),
    (
        "knapper",
        "By the same token, we believe that some prudence is required to prevent tensions from "
        "contaminating the economic and security aspects of Japan-South Korea ties. Calm, "
        "confident words from national leaders, we believe, will generate a similar response "
        "for their nations.",
        "p-4",
    ),
    (
        "knapper",
        "a direct challenge to our three countries, and an attempt to take advantage of the "
        "current frictions in Japan-South Korea relations,",
        "p-5",
    ),
    (
        "knapper",
        "we must not let challengers in the region drive a further wedge between and among our "
        "three countries.",
        "p-5",
    ),
    ("knapper", "can find a space for creative solution", "p-6"),
    (
        "knapper",
        "will continue engaging on this issue and stands ready to facilitate dialogue",
        "p-6",
    ),
    ("knapper", "share bonds based on values", "p-7"),
    (
        "knapper",
        "We believe that Japan and Korea each suffer consequences when their bilateral ties "
        "worsen. And we believe that each bears responsibility for improving their relations,",
        "p-8",
    ),
    (
        "snyder",
        "not taking the political leadership necessary to protect the relationship with Japan "
        "from domestic political spillover, which is arguably in Japan’s longer-term strategic "
        "interest.",
        "p-9",
    ),
    (
        "snyder",
        "The Moon administration has yet to realize an optimal balance between domestic and "
        "foreign affairs,",
        "p-10",
    ),
    ("moon", "very reckless,", "p-13"),
]


@pytest.mark.parametrize(("speaker", "quote", "anchor"), DIRECT_QUOTES)
def test_every_direct_quote_verifies(
    article: list[Passage], speaker: str, quote: str, anchor: str
) -> None:
    verdict = verify_quote(quote, speaker, article)
    assert verdict.status is Status.VERIFIED, verdict.message
    assert verdict.anchor == anchor
    assert verdict.message == f"verified at {anchor}"


def test_paragraphs_are_numbered_and_attributed(article: list[Passage]) -> None:
    # The headline is not paragraph 1 and the cut-off byline is not a paragraph.
    assert len(article) == 14
    assert [p.anchor for p in article[:3]] == ["p-1", "p-2", "p-3"]
    by_anchor = {p.anchor: p for p in article}
    assert by_anchor["p-1"].speakers == ("knapper",)  # via the alias "A senior US official"
    assert by_anchor["p-4"].speakers == ("knapper",)  # names nobody: carries p-3's speaker
    assert by_anchor["p-7"].speaker == "knapper"
    # "Scott Snyder, a senior fellow ..., criticized the Moon Jae-in administration":
    # the words are Snyder's; Moon is named, not quoted.
    assert by_anchor["p-9"].speakers == ("snyder",)
    assert by_anchor["p-10"].speakers == ("snyder",)
    assert by_anchor["p-11"].speaker == "tatsumi"
    assert by_anchor["p-13"].speaker == "moon"
    assert not article[-1].text.startswith("By Kim")


def test_possessive_and_case_insensitive_names() -> None:
    text = "Intro.\n\nKNAPPER’s remarks were blunt.\n\n“We must act.”\n\nMoon's reply came later."
    passages = prose_passages(text, PEOPLE)
    assert [p.speaker for p in passages] == [None, "knapper", "knapper", "moon"]


def test_names_do_not_match_inside_words() -> None:
    passages = prose_passages("Moonlight over Seoul: “all is calm.”", PEOPLE)
    assert passages[0].speaker is None


def test_names_for_speakers() -> None:
    assert names_for(SPEAKERS[0]) == ["Marc Knapper", "Knapper", "A senior US official"]
    assert names_for(SPEAKERS[3]) == ["Moon Jae-in", "Jae-in", "Moon"]
    assert "Kim" in names_for(SPEAKERS[4])  # hyphenated Korean given name, no native name
    assert "Yuki" not in names_for(SPEAKERS[2])
    junior = Speaker(id="x", name="John Smith Jr.", title="t", affiliation="a", present=True)
    assert names_for(junior) == ["John Smith Jr.", "Smith"]


def test_one_changed_word_is_a_near_miss(article: list[Passage]) -> None:
    quote = "By the same token, we believe that some caution is required to prevent tensions"
    verdict = verify_quote(quote, "knapper", article)
    assert verdict.status is Status.NEAR_MISS
    assert verdict.anchor == "p-4"
    assert verdict.found_speaker is None  # the quoted speaker's own paragraph
    assert verdict.closest == (
        "By the same token, we believe that some prudence is required to prevent tensions"
    )
    assert "some [-caution-]{+prudence+} is required" in (verdict.marked_quote or "")
    assert verdict.message.startswith("quote differs from the source in 1 word: ")
    assert "[-caution-]" in verdict.message and "{+prudence+}" in verdict.message
    assert "\n" not in verdict.message


def test_silently_dropped_word_is_a_near_miss(article: list[Passage]) -> None:
    quote = "We believe that some soul-searching is in order about decisions that have damaged"
    verdict = verify_quote(quote, "knapper", article)
    assert verdict.status is Status.NEAR_MISS
    assert verdict.anchor == "p-3"
    assert "about {+political+} decisions" in (verdict.marked_quote or "")


def test_near_miss_in_someone_elses_words_names_them(article: list[Passage]) -> None:
    quote = "The Moon administration has yet to realize an ideal balance between domestic and"
    verdict = verify_quote(quote, "knapper", article)
    assert verdict.status is Status.MISATTRIBUTED, "a changed word and a wrong speaker: an error"
    assert verdict.found_speaker == "snyder"
    assert "[-ideal-]{+optimal+}" in (verdict.marked_quote or "")
    assert "attributes these words to 'snyder', not 'knapper'" in verdict.message


@pytest.mark.parametrize(
    "quote",
    [
        "We believe that some soul-searching is in order ... in recent months",
        "We believe that some soul-searching is in order…in recent months",
        "We believe that some soul-searching is in order [...] in recent months",
        "We believe ... soul-searching ... trust in recent months.",
        "... some soul-searching is in order",
        "We believe that some soul-searching ... In recent months",  # capitalised after "..."
    ],
)
def test_elisions_verify(article: list[Passage], quote: str) -> None:
    verdict = verify_quote(quote, "knapper", article)
    assert verdict.status is Status.VERIFIED, verdict.message
    assert verdict.anchor == "p-3"


def test_case_and_apostrophes_alone_verify_with_a_note(article: list[Passage]) -> None:
    verdict = verify_quote("We believe that some Soul-searching is in order", "knapper", article)
    assert verdict.status is Status.VERIFIED
    assert verdict.message == "verified at p-3 (matched ignoring case)"
    exact = verify_quote("We believe that some soul-searching is in order", "knapper", article)
    assert exact.message == "verified at p-3", "no note when the case agrees"
    captions = [Passage("t-1", "we dont think the measures are justified at all", "moon")]
    spoken = verify_quote("We don't think the measures are justified", "moon", captions)
    assert (spoken.status, spoken.anchor) == (Status.VERIFIED, "t-1")
    assert "ignoring case" in spoken.message


def test_a_case_difference_is_never_a_changed_word() -> None:
    captions = [Passage("t-1", "we believe that some prudence is required to prevent it", "k")]
    verdict = verify_quote("We believe that some Caution is required to prevent it", "k", captions)
    assert verdict.status is Status.NEAR_MISS
    assert (
        verdict.marked_quote
        == "We believe that some [-Caution-]{+prudence+} is required to prevent it"
    )


def test_elision_does_not_cross_paragraphs(article: list[Passage]) -> None:
    quote = "We believe that some soul-searching is in order ... some prudence is required"
    assert verify_quote(quote, "knapper", article).status is not Status.VERIFIED


@pytest.mark.parametrize(
    ("quote", "anchor"),
    [
        ('"We believe that some soul-searching is in order about political decisions"', "p-3"),
        ("We believe that some soul—searching\n  is in order", "p-3"),
        ("We believe that some soul--searching is in order", "p-3"),
        ("we believe that some soul – searching is in order", "p-3"),
        ("Aspects of Japan–South Korea ties.", "p-4"),
        ("damaged bilateral trust in recent months.", "p-3"),
        ("damaged bilateral trust in recent months,”", "p-3"),
        ("Which is arguably in Japan's longer-term strategic interest", "p-9"),
        ("the Moon administration has yet to realize an optimal balance", "p-10"),
        ("ＶＥＲＹ reckless", None),  # full-width letters differ in case: not the first letter
        ("Very reckless.", "p-13"),
    ],
)
def test_typographic_variants(article: list[Passage], quote: str, anchor: str | None) -> None:
    speaker = {"p-9": "snyder", "p-10": "snyder", "p-13": "moon"}.get(anchor or "", "knapper")
    verdict = verify_quote(quote, speaker, article)
    if anchor is None:
        assert verdict.status is not Status.VERIFIED
    else:
        assert verdict.status is Status.VERIFIED, verdict.message
        assert verdict.anchor == anchor


def test_normalise_folds_typography() -> None:
    assert normalise("“It’s\u00a0fine” — isn’t it…") == "\"It's fine\" - isn't it..."


@pytest.mark.parametrize(
    ("quote", "speaker", "anchor"),
    [
        ("We believe that [Tokyo and Seoul] each suffer consequences", "knapper", "p-8"),
        ("The [South Korean] administration has yet to realize", "snyder", "p-10"),
        ("[Seoul and Tokyo] can find a space for creative solution", "knapper", "p-6"),
        ("we believe that [it] each suffer", "knapper", "p-8"),
        ("[we] believe that Japan and Korea each suffer", "knapper", "p-8"),
    ],
)
def test_bracketed_insertions_verify(
    article: list[Passage], quote: str, speaker: str, anchor: str
) -> None:
    verdict = verify_quote(quote, speaker, article)
    assert verdict.status is Status.VERIFIED, verdict.message
    assert verdict.anchor == anchor


def test_bracket_stands_for_a_few_words_only(article: list[Passage]) -> None:
    verdict = verify_quote("We believe [they] consequences when", "knapper", article)
    assert verdict.status is not Status.VERIFIED


def test_short_quotes_match_whole_words() -> None:
    passages = [Passage("p-1", "Such recklessness is very reckless indeed.", "moon", ("moon",))]
    assert verify_quote("reckless", "moon", passages).status is Status.VERIFIED
    only = [Passage("p-1", "Such recklessness is rare.", "moon", ("moon",))]
    assert verify_quote("reckless", "moon", only).status is Status.NOT_FOUND
    assert verify_quote("very careful", "moon", passages).status is Status.NOT_FOUND
    assert verify_quote("quite reckless", "moon", passages).status is Status.NOT_FOUND


def test_short_quote_typo_is_a_near_miss(article: list[Passage]) -> None:
    verdict = verify_quote("very recklessly", "moon", article)
    assert verdict.status is Status.NEAR_MISS
    assert verdict.anchor == "p-13"
    assert verdict.marked_quote == "very [-recklessly-]{+reckless+}"


def test_quote_said_by_someone_else_is_misattributed(article: list[Passage]) -> None:
    quote = "The Moon administration has yet to realize an optimal balance"
    verdict = verify_quote(quote, "knapper", article)
    assert verdict.status is Status.MISATTRIBUTED
    assert verdict.found_speaker == "snyder"
    assert verdict.anchor == "p-10"
    assert verdict.message == "found, but said by 'snyder', not 'knapper' (p-10)"


def test_words_nobody_is_said_to_speak_are_misattributed(article: list[Passage]) -> None:
    article = [Passage("p-1", "Soul-searching needed for Korea, Japan, over trade row.", None)]
    verdict = verify_quote("Soul-searching needed for Korea, Japan", "knapper", article)
    assert verdict.status is Status.MISATTRIBUTED
    assert verdict.found_speaker is None
    assert verdict.anchor == "p-1"
    assert "the attribution is unclear" in verdict.message


def test_invented_text_is_not_found(article: list[Passage]) -> None:
    quote = "The United States will impose sanctions on both countries unless talks resume"
    verdict = verify_quote(quote, "knapper", article)
    assert verdict.status is Status.NOT_FOUND
    assert verdict.message.startswith("not found in the source; the source has 8 paragraphs by")
    assert "'knapper' (p-1, p-2, p-3, p-4, p-5, ...)" in verdict.message
    assert '; the closest is p-6: "The US believes that Korea' in verdict.message
    nobody = verify_quote(quote, "tatsumi-2", article)
    assert "the source has no paragraph by 'tatsumi-2'" in nobody.message


def test_quote_without_words_is_unverifiable(article: list[Passage]) -> None:
    assert verify_quote("[...]", "knapper", article).status is Status.UNVERIFIABLE


TURNS = [
    Turn(speaker="knapper", text="We believe that each bears responsibility for their relations."),
    Turn(
        speaker="snyder",
        text="The Moon administration has yet to realize an optimal balance.\n\nThat is my view.",
    ),
    Turn(speaker="tatsumi", text="The export restrictions were not a retaliatory move."),
]


def test_transcript_turns_are_anchored() -> None:
    passages = transcript_passages(TURNS)
    assert [(p.anchor, p.speaker, p.speakers) for p in passages] == [
        ("t-1", "knapper", ("knapper",)),
        ("t-2", "snyder", ("snyder",)),
        ("t-3", "tatsumi", ("tatsumi",)),
    ]


def test_transcript_quotes() -> None:
    passages = transcript_passages(TURNS)
    ok = verify_quote("each bears responsibility", "knapper", passages)
    assert (ok.status, ok.anchor) == (Status.VERIFIED, "t-1")
    wrong = verify_quote("an optimal balance. That is my view", "knapper", passages)
    assert (wrong.status, wrong.anchor, wrong.found_speaker) == (
        Status.MISATTRIBUTED,
        "t-2",
        "snyder",
    )
    assert "'snyder'" in wrong.message


def test_prefers_the_quoted_speakers_passage() -> None:
    passages = [
        Passage("t-1", "We must stay calm.", "snyder", ("snyder",)),
        Passage("t-2", "As Snyder put it, we must stay calm.", "knapper", ("knapper",)),
    ]
    verdict = verify_quote("we must stay calm", "knapper", passages)
    assert (verdict.status, verdict.anchor) == (Status.VERIFIED, "t-2")


def test_adversarial_quote_finishes_fast() -> None:
    passage = Passage("t-1", "word " * 4000 + "end", "knapper", ("knapper",))
    quote = "word ... " * 60 + "end word"  # every word present, but "end" is last
    started = time.perf_counter()
    verdict = verify_quote(quote, "knapper", [passage])
    elapsed = time.perf_counter() - started
    assert verdict.status is not Status.VERIFIED
    assert elapsed < 10, f"took {elapsed:.1f}s"
    brackets = "word [x] " * 60 + "end"
    started = time.perf_counter()
    assert verify_quote(brackets, "knapper", [passage]).status is Status.VERIFIED
    assert time.perf_counter() - started < 10


def _briefing(quotes: list[dict[str, str]], transcript: bool = True) -> Briefing:
    """Build a small briefing citing an article file, a missing file and the transcript."""
    return Briefing.model_validate(
        {
            "event": {
                "title": "The Korea-Japan trade dispute",
                "date": "2019-08-07",
                "host": "The Heritage Foundation",
                "location": "Washington",
                "summary": "Washington urges calm.",
            },
            "sides": [{"id": "us", "name": "United States", "summary": "Calm."}],
            "speakers": [s.model_dump() for s in SPEAKERS],
            "sources": [
                {
                    "id": "herald",
                    "kind": "article",
                    "title": "T",
                    "publisher": "The Korea Herald",
                    "file": "sources/article.txt",
                },
                {
                    "id": "gone",
                    "kind": "article",
                    "title": "T",
                    "publisher": "P",
                    "file": "sources/missing.txt",
                },
                {
                    "id": "latin",
                    "kind": "article",
                    "title": "T",
                    "publisher": "P",
                    "file": "sources/latin1.txt",
                },
                {
                    "id": "outside",
                    "kind": "article",
                    "title": "T",
                    "publisher": "P",
                    "file": "../outside.txt",
                },
                {"id": "seminar", "kind": "transcript", "title": "T", "publisher": "Heritage"},
                {"id": "notes", "kind": "statement", "title": "T", "publisher": "P"},
            ],
            "quotes": quotes,
            "transcript": [t.model_dump(exclude_none=True) for t in TURNS] if transcript else [],
        }
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Write the evidence files of the small briefing."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "article.txt").write_text(ARTICLE + "\n", encoding="utf-8")
    (tmp_path / "sources" / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path.parent / "outside.txt").write_text("very reckless", encoding="utf-8")
    return tmp_path


def test_verify_briefing(workspace: Path) -> None:
    quotes = [
        {"speaker": "moon", "text": "very reckless", "source": "herald"},
        {"speaker": "knapper", "text": "The Moon administration has yet", "source": "herald"},
        {
            "speaker": "knapper",
            "text": "some caution is required to prevent tensions from contaminating the economic",
            "source": "herald",
        },
        {"speaker": "knapper", "text": "we will fight them on the beaches", "source": "herald"},
        {"speaker": "moon", "text": "very reckless", "source": "gone"},
        {"speaker": "moon", "text": "Café", "source": "latin"},
        {"speaker": "moon", "text": "very reckless", "source": "outside"},
        {"speaker": "knapper", "text": "each bears responsibility", "source": "seminar"},
        {"speaker": "snyder", "text": "That is my view", "source": "seminar"},
        {"speaker": "knapper", "text": "each bears", "source": "notes"},
    ]
    verdicts = verify_briefing(_briefing(quotes), workspace)
    assert [(v.status, v.anchor) for v in verdicts] == [
        (Status.VERIFIED, "p-13"),
        (Status.MISATTRIBUTED, "p-10"),
        (Status.NEAR_MISS, "p-4"),
        (Status.NOT_FOUND, None),
        (Status.UNVERIFIABLE, None),
        (Status.UNVERIFIABLE, None),
        (Status.UNVERIFIABLE, None),
        (Status.VERIFIED, "t-1"),
        (Status.VERIFIED, "t-2"),
        (Status.UNVERIFIABLE, None),
    ]
    assert verdicts[4].message == "unverifiable: evidence file 'sources/missing.txt' does not exist"
    assert (
        verdicts[5].message == "unverifiable: evidence file 'sources/latin1.txt' is not UTF-8 text"
    )
    assert "outside the workspace" in verdicts[6].message
    assert verdicts[9].message == "unverifiable: source 'notes' has no file to check against"


def test_verify_briefing_without_transcript(workspace: Path) -> None:
    quotes = [{"speaker": "knapper", "text": "each bears responsibility", "source": "seminar"}]
    [verdict] = verify_briefing(_briefing(quotes, transcript=False), workspace)
    assert verdict.status is Status.UNVERIFIABLE
    assert verdict.message == (
        "unverifiable: source 'seminar' has no file and there is no transcript"
    )


def test_verify_briefing_on_the_workspace_article(tmp_path: Path) -> None:
    """Every direct quote verifies through the file path, with CRLF line ends and a BOM."""
    (tmp_path / "sources").mkdir()
    data = "\ufeff" + ARTICLE.replace("\n", "\r\n")
    (tmp_path / "sources" / "article.txt").write_bytes(data.encode("utf-8"))
    quotes = [{"speaker": s, "text": q, "source": "herald"} for s, q, _ in DIRECT_QUOTES]
    verdicts = verify_briefing(_briefing(quotes), tmp_path)
    assert [(v.status, v.anchor) for v in verdicts] == [
        (Status.VERIFIED, anchor) for *_, anchor in DIRECT_QUOTES
    ]


NAMED = {"roe": ["Jane Roe", "Roe"], "kim": ["Kim Do-hyun", "Kim"], "lee": ["Dana Lee", "Lee"]}


def test_a_paragraphs_words_are_those_it_attributes_not_everyone_it_names() -> None:
    text = (
        'Ambassador Kim met Jane Roe on Monday. "We will not give way," said Kim.\n\n'
        '"The talks go on," Roe told reporters, after meeting Dana Lee.\n\n'
        "Kim, the former ambassador to Washington, warned that trust was gone.\n\n"
        "Kim and Roe toured the plant with Dana Lee.\n\n"
        '"Nothing has changed."\n'
    )
    passages = prose_passages(text, NAMED)
    assert [p.speakers for p in passages] == [("kim",), ("roe",), ("kim",), (), ()]
    quote = verify_quote("The talks go on", "lee", passages)
    assert quote.status is Status.MISATTRIBUTED
    assert "said by 'roe', not 'lee'" in quote.message, "it names the person who said it"
    unclear = verify_quote("Nothing has changed", "kim", passages)
    assert unclear.status is Status.MISATTRIBUTED
    assert "the attribution is unclear" in unclear.message
