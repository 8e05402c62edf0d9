"""Plain-text transcripts: header block, both label styles, continuations, noise."""

from __future__ import annotations

import datetime as dt

from _transcripts import fixture, speaker, turns_of

from briefgen.importers import import_transcript


def test_header_block_becomes_event_data_not_turns() -> None:
    source = import_transcript(fixture("heritage_allcaps.txt"))
    event = source.data["event"]
    assert event["title"] == "The Korea-Japan Trade Dispute: Implications for the U.S. Alliances"
    assert event["date"] == dt.date(2019, 8, 7)
    assert event["host"] == "The Heritage Foundation"
    assert event["location"] == "Location to confirm"
    assert event["format"] == "seminar"
    assert event["summary"] == ""
    texts = " ".join(text for _, text in turns_of(source))
    for header_text in ("TRANSCRIPT", "PARTICIPANTS", "Panelists", "Deputy Assistant", "2019"):
        assert header_text not in texts


def test_participants_become_speakers_with_titles_and_affiliations() -> None:
    source = import_transcript(fixture("heritage_allcaps.txt"))
    knapper = speaker(source, "marc-knapper")
    assert knapper == {
        "id": "marc-knapper",
        "name": "Marc Knapper",
        "title": "Deputy Assistant Secretary of State for East Asia",
        "affiliation": "U.S. Department of State",
        "present": True,
    }
    tatsumi = speaker(source, "yuki-tatsumi")
    assert tatsumi["title"] == "Senior Fellow and Director, Japan Program"
    assert tatsumi["affiliation"] == "Stimson Center"
    assert speaker(source, "james-okafor")["affiliation"] == "Institute for Maritime Security"


def test_honorific_labels_match_participants_by_surname() -> None:
    source = import_transcript(fixture("heritage_allcaps.txt"))
    assert [s for s, _ in turns_of(source)] == [
        "olivia-hart",  # MS. HART
        "marc-knapper",  # MR. KNAPPER
        "scott-snyder",  # DR. SNYDER
        "yuki-tatsumi",  # MS. TATSUMI
        "james-okafor",  # ADM. (RET.) OKAFOR
        "daniel-lee",  # AMB. LEE
        "smith",  # SEN. SMITH, not listed
        "kim-so-hyun",  # QUESTION: a reporter who names herself
        "marc-knapper",
        "audience-member",
        "olivia-hart",
    ]
    smith = speaker(source, "smith")
    assert smith["title"] == "Title to confirm"
    assert smith["affiliation"] == "Affiliation to confirm"
    assert smith["present"] is True


def test_continuations_join_and_stage_directions_drop() -> None:
    source = import_transcript(fixture("heritage_allcaps.txt"))
    turns = turns_of(source)
    assert turns[0][1] == (
        "Good morning, and welcome to The Heritage Foundation. We are delighted to have such "
        "a distinguished panel with us today.\n\n"
        "Our first speaker needs no introduction in this building."
    )
    knapper = turns[1][1].split("\n\n")
    assert len(knapper) == 3
    # "The point is this:" opens a paragraph but is no speaker label.
    assert knapper[1].startswith("The point is this: we must not let challengers")
    assert knapper[2].startswith("Calm, confident words")
    assert "Laughter" not in turns[1][1]


def test_separators_crosstalk_end_marker_and_credits_are_not_speech() -> None:
    source = import_transcript(fixture("heritage_allcaps.txt"))
    texts = "\n".join(text for _, text in turns_of(source))
    for noise in ("* * *", "----", "Crosstalk", "(END)", "Copyright", "Applause"):
        assert noise not in texts
    assert turns_of(source)[-1] == ("olivia-hart", "Please join me in thanking our panel.")


def test_generic_labels_become_audience_speakers() -> None:
    source = import_transcript(fixture("heritage_allcaps.txt"))
    assert speaker(source, "audience-member")["name"] == "Audience member"
    assert speaker(source, "audience-member")["title"] == "Audience member"
    # "QUESTION: Kim So-hyun, The Korea Herald. ...": the reporter, not an anonymous questioner
    reporter = speaker(source, "kim-so-hyun")
    assert (reporter["title"], reporter["affiliation"]) == ("Reporter", "The Korea Herald")
    assert ("kim-so-hyun", "Kim So-hyun, The Korea Herald. Will the United States mediate?") in (
        turns_of(source)
    )
    assert not [s for s in source.data["speakers"] if s["id"] == "questioner"]


def test_name_style_with_dash_participants() -> None:
    source = import_transcript(fixture("cfr_name_style.txt"))
    event = source.data["event"]
    assert event["title"] == "Korea and Japan at Odds: What Washington Can Do"
    assert event["date"] == dt.date(2019, 8, 7)
    assert event["host"] == "The Council on Foreign Relations"
    assert event["location"] == "New York"
    assert [s["id"] for s in source.data["speakers"]] == [
        "scott-snyder",
        "yuki-tatsumi",
        "kim-so-hyun",
        "ellen-park",
        "questioner",
    ]
    kim = speaker(source, "kim-so-hyun")
    assert (kim["name"], kim["native_name"], kim["title"]) == ("Kim So-hyun", "김소현", "Reporter")
    assert speaker(source, "ellen-park")["affiliation"] == "Council on Foreign Relations"


def test_name_style_turns_surnames_roles_and_wrapped_lines() -> None:
    turns = turns_of(import_transcript(fixture("cfr_name_style.txt")))
    assert [s for s, _ in turns] == [
        "ellen-park",
        "scott-snyder",  # "Snyder:" alone, matched by surname
        "yuki-tatsumi",
        "scott-snyder",  # labels on consecutive lines, no blank line between
        "yuki-tatsumi",
        "questioner",
        "kim-so-hyun",
        "ellen-park",  # "Moderator:" resolves to the listed moderator
    ]
    first, second = turns[1][1].split("\n\n")
    assert first == (
        "Thank you. The Moon administration has not taken the political leadership necessary "
        "to protect the relationship with Japan from domestic political spillover."
    )
    # "Japan:" opening a paragraph is not a speaker: Japan is nobody listed.
    assert second.startswith("Japan: that is the word")
    assert turns[3] == ("scott-snyder", "Go on.")


def test_multi_line_participant_entries_and_cjk_labels() -> None:
    source = import_transcript(fixture("brookings_multiline.txt"))
    event = source.data["event"]
    assert event["title"] == "JAPAN, SOUTH KOREA, AND THE WHITELIST: WHAT COMES NEXT"
    assert event["host"] == "The Brookings Institution"
    assert event["location"] == "Falk Auditorium, Washington, D.C."
    assert event["date"] == dt.date(2019, 8, 7)
    snyder = speaker(source, "scott-snyder")
    assert (snyder["title"], snyder["affiliation"]) == (
        "Senior Fellow for Korean Studies",
        "Council on Foreign Relations",
    )
    japanese = speaker(source, "speaker-1")
    assert japanese["name"] == japanese["native_name"] == "辰巳由紀"
    assert [s for s, _ in turns_of(source)] == [
        "scott-snyder",
        "yuki-tatsumi",
        "speaker-1",
        "kim-so-hyun",  # "김소현:" matches the listed native name
        "scott-snyder",
    ]
    assert turns_of(source)[3][1] == "한국 정부는 지소미아 종료를 검토하고 있습니다."
    assert all("P R O C E E D" not in s["name"] for s in source.data["speakers"])


def test_bom_and_crlf_text() -> None:
    source = import_transcript(fixture("bom_crlf.txt"))
    assert source.data["event"]["title"] == "Trilateral Cooperation After the Whitelist"
    assert turns_of(source) == [
        ("marc-knapper", "Good morning.\n\nWe believe that each bears responsibility."),
        ("yuki-tatsumi", "Thank you."),
    ]
    assert "\r" not in source.yaml_text
    assert "\ufeff" not in source.yaml_text


def test_both_label_styles_name_one_speaker(write) -> None:
    source = write(
        "mixed.txt",
        "Marc Knapper: Hello.\n\nScott Snyder: Hi.\n\nMR. KNAPPER: Again.\n\n"
        "MR. KNAPPER: And once more.\n",
    )
    assert [s["id"] for s in source.data["speakers"]] == ["marc-knapper", "scott-snyder"]
    assert turns_of(source) == [
        ("marc-knapper", "Hello."),
        ("scott-snyder", "Hi."),
        ("marc-knapper", "Again.\n\nAnd once more."),
    ]


def test_surname_label_first_then_full_name(write) -> None:
    source = write("later.txt", "KNAPPER: Hello.\n\nSNYDER: Hi.\n\nMarc Knapper: Again.\n")
    assert [s["name"] for s in source.data["speakers"]] == ["Marc Knapper", "Snyder"]
    assert [s for s, _ in turns_of(source)] == ["marc-knapper", "snyder", "marc-knapper"]


def test_label_on_its_own_line_and_timestamps(write) -> None:
    source = write(
        "stamped.txt",
        "[00:05:12] MR. KNAPPER:\nThank you.\n\n1:02:03 DR. SNYDER: Thanks.\n",
    )
    assert source.data["transcript"] == [
        {"speaker": "knapper", "time": "00:05:12", "text": "Thank you."},
        {"speaker": "snyder", "time": "01:02:03", "text": "Thanks."},
    ]


def test_keyed_header_lines_and_role_labels() -> None:
    source = import_transcript(fixture("keyed_header.txt"))
    event = source.data["event"]
    assert event["title"] == "U.S.-Japan-Korea Trilateral Relations: A Panel Discussion"
    assert event["date"] == dt.date(2019, 8, 7)
    assert event["location"] == "Lehrman Auditorium"
    assert event["host"] == "The Heritage Foundation"  # the host's affiliation
    assert event["format"] == "panel"
    assert [(s["id"], s["title"]) for s in source.data["speakers"]] == [
        ("jane-roe", "Vice President"),
        ("scott-snyder", "Senior Fellow for Korean Studies"),
        ("yuki-tatsumi", "Senior Fellow"),
        ("marc-knapper", "Deputy Assistant Secretary"),
    ]
    # "HOST:" and "MODERATOR:" are turns of the people listed in those roles.
    assert turns_of(source) == [
        ("jane-roe", "Welcome to Heritage."),
        ("scott-snyder", "Thank you, Jane."),
        ("yuki-tatsumi", "Thanks."),
        ("marc-knapper", "Thanks too."),
    ]


def test_role_heading_with_a_value_applies_to_that_person_only(write) -> None:
    source = write(
        "roles.txt",
        "TRANSCRIPT\nAlliance Management\n2019-08-07\n"
        "Moderator: Scott Snyder, Senior Fellow, Council on Foreign Relations\n"
        "Yuki Tatsumi, Senior Fellow, Stimson Center\n\n"
        "MODERATOR: Welcome.\n\nTatsumi: Thanks.\n\nTatsumi: Again, briefly.\n",
    )
    assert [s["id"] for s in source.data["speakers"]] == ["scott-snyder", "yuki-tatsumi"]
    assert turns_of(source) == [
        ("scott-snyder", "Welcome."),
        ("yuki-tatsumi", "Thanks.\n\nAgain, briefly."),
    ]
