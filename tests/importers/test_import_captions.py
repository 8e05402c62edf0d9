"""WebVTT and SRT captions: voices, "Name:" prefixes, cue noise, times and merging."""

from __future__ import annotations

import datetime as dt

from _transcripts import fixture, speaker, turns_of

from briefgen.importers import import_transcript


def test_vtt_voices_prefixes_times_and_merging() -> None:
    source = import_transcript(fixture("seminar.vtt"))
    assert source.data["transcript"] == [
        {
            "speaker": "marc-knapper",
            "time": "00:00:01",
            "text": "Thank you, Olivia. It's a pleasure to be here at Heritage today.",
        },
        {
            "speaker": "scott-snyder",
            "time": "00:00:08",
            # a multi-line cue, then a cue with no hours, inline tags and an entity
            "text": "We believe that some soul-searching is in order. "
            "Calm, confident words matter for U.S. & allies.",
        },
        {
            "speaker": "yuki-tatsumi",
            "time": "00:01:02",
            # "Name:" prefix, then an unlabelled cue that continues the same speaker
            "text": "Japan sees it differently. And Tokyo will not back down.",
        },
        {"speaker": "speaker-1", "time": "01:02:03", "text": "질문이 있습니다."},
    ]


def test_vtt_header_note_and_style_blocks() -> None:
    source = import_transcript(fixture("seminar.vtt"))
    event = source.data["event"]
    assert event["title"] == "Heritage Foundation seminar: Korea-Japan trade dispute"
    assert event["date"] == dt.date(2019, 8, 7)  # from the NOTE block
    assert event["format"] == "seminar"
    texts = " ".join(text for _, text in turns_of(source))
    for noise in ("NOTE", "comment between cues", "color", "align", "position", "intro-3", "<"):
        assert noise not in texts


def test_vtt_korean_voice_keeps_native_name() -> None:
    source = import_transcript(fixture("seminar.vtt"))
    korean = speaker(source, "speaker-1")
    assert korean["name"] == korean["native_name"] == "김소현"
    assert korean["title"] == "Title to confirm"


def test_vtt_two_voices_in_one_cue_and_closing_tags(write) -> None:
    source = write(
        "voices.vtt",
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:03.000\n"
        "<v Marc Knapper>Hello.</v> <v.loud Scott Snyder>Hi there.</v>\n\n"
        "00:00:03.000 --> 00:00:05.000\n"
        "<v Scott Snyder>Good to see you.\n"
        "<v Marc Knapper>Likewise.\n\n"
        "00:00:05.000 --> 00:00:07.000\n"
        "<v Dr. Snyder>Let us begin.\n",
    )
    assert source.data["transcript"] == [
        {"speaker": "marc-knapper", "time": "00:00:01", "text": "Hello."},
        {"speaker": "scott-snyder", "time": "00:00:01", "text": "Hi there. Good to see you."},
        {"speaker": "marc-knapper", "time": "00:00:03", "text": "Likewise."},
        {"speaker": "scott-snyder", "time": "00:00:05", "text": "Let us begin."},
    ]


def test_srt_labels_and_unlabelled_continuation_cues() -> None:
    source = import_transcript(fixture("seminar.srt"))
    assert source.data["transcript"] == [
        {
            "speaker": "marc-knapper",
            "time": "00:00:01",
            "text": "Good morning. We believe Japan and Korea each suffer consequences.",
        },
        {
            "speaker": "snyder",
            "time": "00:00:06",
            "text": "The Moon administration has yet to realize an optimal balance.",
        },
        {
            "speaker": "tatsumi",
            "time": "00:01:10",
            "text": "Tokyo sees it otherwise. The controls are procedural.",
        },
        {"speaker": "marc-knapper", "time": "00:01:15", "text": "Thank you."},
    ]
    assert [s["name"] for s in source.data["speakers"]] == ["Marc Knapper", "Snyder", "Tatsumi"]


def test_srt_without_labels_is_one_unidentified_speaker() -> None:
    source = import_transcript(fixture("unlabelled.srt"))
    assert [s["id"] for s in source.data["speakers"]] == ["unidentified-speaker"]
    assert source.data["speakers"][0]["title"] == "Speaker to identify"
    assert turns_of(source) == [
        ("unidentified-speaker", "Good morning, everyone. Thank you for coming.")
    ]


def test_bom_and_crlf_captions() -> None:
    for name in ("bom_crlf.vtt", "bom_crlf.srt"):
        source = import_transcript(fixture(name))
        assert [(t["speaker"], t["text"]) for t in source.data["transcript"]] == [
            ("marc-knapper", "Good morning."),
            ("yuki-tatsumi", "Thank you."),
        ], name
        assert "\r" not in source.yaml_text


def test_detection_is_by_content_not_extension(tmp_path) -> None:
    path = tmp_path / "captions.txt"
    path.write_bytes(fixture("seminar.srt").read_bytes())
    assert turns_of(import_transcript(path))[0][0] == "marc-knapper"
    vtt_as_text = tmp_path / "captions-vtt.txt"
    vtt_as_text.write_bytes(fixture("seminar.vtt").read_bytes())
    assert import_transcript(vtt_as_text).data["transcript"][0]["time"] == "00:00:01"


def test_explicit_format_overrides_detection(tmp_path) -> None:
    # A text transcript that happens to open with an SRT-like cue is read as text on request.
    path = tmp_path / "odd.txt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\n\nMR. KNAPPER: Hello.\n\nDR. SNYDER: Hi.\n",
        encoding="utf-8",
    )
    as_text = import_transcript(path, fmt="text")
    assert turns_of(as_text) == [("knapper", "Hello."), ("snyder", "Hi.")]
    as_srt = import_transcript(path, fmt="srt")
    assert as_srt.data["transcript"] == [
        {"speaker": "knapper", "time": "00:00:01", "text": "Hello."},
        {"speaker": "snyder", "time": "00:00:01", "text": "Hi."},
    ]


def test_cjk_name_prefixes_get_unique_ids(write) -> None:
    source = write(
        "cjk.srt",
        "1\n00:00:01,000 --> 00:00:02,000\n辰巳由紀：はい、そう思います。\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\n김소현: 감사합니다.\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\n辰巳由紀：もう一点。\n",
    )
    assert [(s["id"], s["name"], s["native_name"]) for s in source.data["speakers"]] == [
        ("speaker-1", "辰巳由紀", "辰巳由紀"),
        ("speaker-2", "김소현", "김소현"),
    ]
    assert [t["speaker"] for t in source.data["transcript"]] == [
        "speaker-1",
        "speaker-2",
        "speaker-1",
    ]
