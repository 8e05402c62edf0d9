"""Each house style staff receive transcripts in imports with the right people, date and turns."""

from __future__ import annotations

import datetime as dt

from _transcripts import fixture, speaker, turns_of

from briefgen.importers import ImportedSource, import_transcript


def imported(name: str) -> ImportedSource:
    """Import a fixture transcript."""
    return import_transcript(fixture(name))


def people(source: ImportedSource) -> list[tuple[str, str, str]]:
    """Return (id, title, affiliation) of each speaker."""
    return [(s["id"], s["title"], s["affiliation"]) for s in source.data["speakers"]]


def test_a_court_reporter_transcript_drops_page_furniture_and_joins_the_sentence() -> None:
    source = imported("court_reporter.txt")
    event = source.data["event"]
    assert event["title"].startswith("ALLIES AT ODDS: TRADE, HISTORY")
    assert (event["date"], event["host"], event["location"]) == (
        dt.date(2019, 10, 15),
        "The Lantern Institution",
        "Washington, D.C.",
    )
    assert people(source) == [
        (
            "jane-roe",
            "Senior Fellow and Director",
            "Center for East Asia Policy Studies, The Lantern Institution",
        ),
        (
            "kim-do-hyun",
            "Former Ambassador of the Republic of Korea to the United States",
            "Affiliation to confirm",
        ),
        ("richard-okafor", "Visiting Professor", "Meridian University"),
    ]
    turns = turns_of(source)
    assert [s for s, _ in turns] == ["jane-roe", "kim-do-hyun", "richard-okafor", "jane-roe"]
    assert "came without warning and without any consultation" in turns[1][1]
    text = " ".join(t for _, t in turns)
    for furniture in ("REPORTING", "Montgomery", "519-7180", "CERTIFICATE", "notary"):
        assert furniture not in text
    assert turns[0][1].count("\n\n") == 1, "two paragraphs, each rejoined from its lines"


def test_the_same_transcript_flattened_by_a_pdf_copy_reads_the_same() -> None:
    flat, lined = imported("court_reporter_flattened.txt"), imported("court_reporter.txt")
    assert [s for s, _ in turns_of(flat)] == [s for s, _ in turns_of(lined)]
    assert turns_of(flat)[1] == turns_of(lined)[1]
    assert people(flat) == people(lined)


def test_event_header_fields_fill_the_event_and_titles_never_turns() -> None:
    source = imported("event_fields.txt")
    event = source.data["event"]
    assert event["title"] == "Export Controls and the Alliance: A Conversation"
    assert event["date"] == dt.date(2019, 12, 12)
    assert event["host"] == "The Meridian Council"
    assert event["location"] == "Room 2B, Carnegie Hall of Policy, Washington, DC"
    assert people(source) == [
        ("kenji-mori", "Senior Fellow", "Meridian Council"),
        ("ana-ruiz", "Director of Trade Policy", "Harbor Institute"),
        ("lena-park", "Senior Fellow", "Meridian Council"),
    ]
    assert [s for s, _ in turns_of(source)] == ["lena-park", "kenji-mori", "ana-ruiz", "lena-park"]


def test_a_congressional_hearing_reads_its_title_page_labels_and_notes() -> None:
    source = imported("congressional_hearing.txt")
    event = source.data["event"]
    assert event["title"] == "TRADE TENSIONS BETWEEN OUR ASIAN ALLIES"
    assert event["format"] == "hearing"
    assert event["date"] == dt.date(2019, 9, 18)
    assert event["host"] == (
        "Subcommittee on Asia and the Pacific of the Committee on Foreign Affairs, "
        "House of Representatives"
    )
    assert event["location"] == "Room 2172, Rayburn House Office Building"
    chair = speaker(source, "ann-meadows")
    assert (chair["name"], chair["title"]) == ("Ann Meadows", "Chair")
    turns = turns_of(source)
    assert [s for s, _ in turns] == [
        "ann-meadows",
        "doyle",
        "whitehouse",
        "ann-meadows",
        "doyle",
    ]
    assert "*[The prepared statement of Mr. Doyle follows:]*" in turns[1][1]
    assert turns[3][1] == (
        "Without objection.\n\n*[Recess.]*\n\nWe will resume. Mr. Doyle, you have five minutes."
    )


def test_uk_style_names_alone_on_a_line_chair_and_questions_from_the_floor() -> None:
    source = imported("uk_committee.txt")
    assert source.data["event"]["date"] == dt.date(2019, 10, 9)
    assert source.data["event"]["host"] == "Foreign Affairs Committee"
    assert speaker(source, "tom-hale")["title"] == "Chair"
    assert [s for s, _ in turns_of(source)] == [
        "tom-hale",
        "helen-carter",
        "priya-shah",
        "helen-carter",
        "tom-hale",
        "questioner",
        "helen-carter",
        "questioner",
        "tom-hale",
    ]
    carter = turns_of(source)[1][1]
    assert carter.endswith("It is now a dispute about security as well.")
    assert "\n\n" in carter, "her two paragraphs stay two"


def test_a_press_briefing_keeps_questions_apart_and_names_reporters() -> None:
    source = imported("press_briefing.txt")
    event = source.data["event"]
    assert (event["title"], event["date"]) == ("Department Press Briefing", dt.date(2019, 8, 22))
    assert event["format"] == "press briefing"
    assert people(source)[:2] == [
        ("ned-price", "Department Spokesperson", "Affiliation to confirm"),
        ("said-arikat", "Reporter", "Al Quds"),
    ]
    assert [s for s, _ in turns_of(source)] == [
        "ned-price",
        "questioner",
        "ned-price",
        "said-arikat",
        "questioner",  # a second reporter's question is a turn of its own
        "ned-price",
        "said-arikat",  # "Said Arikat again."
        "ned-price",
    ]


def test_a_podcast_names_numbered_speakers_who_introduce_themselves() -> None:
    source = imported("podcast.txt")
    assert source.data["event"]["format"] == "podcast"
    assert people(source) == [
        ("dana-lee", "Host", "Affiliation to confirm"),
        ("marcus-webb", "Title to confirm", "Affiliation to confirm"),
    ]
    transcript = source.data["transcript"]
    assert [(t["speaker"], t.get("time")) for t in transcript] == [
        ("dana-lee", "00:00:04"),
        ("marcus-webb", "00:00:09"),
        ("dana-lee", "00:00:15"),
        ("marcus-webb", "00:01:23"),
        ("dana-lee", "00:01:40"),
    ]
    assert transcript[-1]["text"] == "Nobody at all?\n\nLet us take a short break."  # Host:


def test_closed_captions_become_numbered_speakers_to_name() -> None:
    source = imported("cspan_captions.txt")
    ids = [s for s, _ in turns_of(source)]
    assert ids == ["speaker-1", "speaker-2", "speaker-3", "speaker-4", "speaker-5"]
    assert {s["title"] for s in source.data["speakers"]} == {"Speaker to identify"}
    assert turns_of(source)[1][1] == (
        "thank you, madam chair. it's an honor to be here. our government doesn't believe "
        "the measures are justified."
    )
    assert "applause" not in " ".join(t for _, t in turns_of(source))


def test_zoom_captions_with_numbered_indented_cues_and_name_prefixes() -> None:
    source = imported("zoom.vtt")
    assert turns_of(source) == [
        (
            "jane-roe",
            "Welcome, everyone, to our webinar on the trade dispute. "
            "Our first speaker is Richard Okafor.",
        ),
        ("richard-okafor", "Thank you, Jane. I will be brief. The markets reacted first."),
    ]


def test_youtube_captions_with_voices_inline_timings_style_and_note_blocks() -> None:
    source = imported("youtube.vtt")
    assert source.data["event"]["date"] == dt.date(2019, 10, 15)  # from the NOTE block
    assert turns_of(source) == [
        ("jane-roe", "Welcome everyone to the panel."),
        ("richard-okafor", "Thank you. It is good to be here. and the markets reacted first"),
    ]


def test_srt_with_name_prefixes_and_sound_cues() -> None:
    source = imported("named_cues.srt")
    assert turns_of(source) == [
        ("jane-roe", "Welcome, everyone."),
        ("richard-okafor", "Thank you, Jane. The markets reacted first."),
    ]


def test_words_of_titles_and_headings_are_never_speakers() -> None:
    for name in ("event_fields.txt", "court_reporter.txt", "press_briefing.txt"):
        ids = {s["id"] for s in imported(name).data["speakers"]}
        for word in ("moderator", "speakers", "senior-fellow", "inquiries", "participants"):
            assert word not in ids, (name, word)
