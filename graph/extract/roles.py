"""Who chairs, attends or conducts an event: the verb that follows each official named in
the event's stretch of text (主持 chairs; 出席, 参加, 讲话, 提出要求, 领学 attend; on a visit,
leading or going along conducts). Officials only quoted or whose instructions are
relayed (传达…批示) take none. The verbs are rows of ontology/event_words.tsv."""

from __future__ import annotations

import re

from .event_words import words
from .officials import Group
from .text import Sentence, sentence_at

# relayed: inside a relayed instruction (传达…), or inside someone's reported speech (某某说，…)
RELAYED = re.compile(r"(?:传达|学习|贯彻|根据|按照|落实|遵照|领会)[^。；]{0,20}$|(?:说|指出|强调|表示|认为)[，：:]")
QUOTED = re.compile(
    r"^(?:的(?!陪同)|关于|重要|同志关于|同志的|批示|指示|讲话精神|对|在[^。；，]{0,40}的(?:讲话|发言|指示|批示|报告|要求))"
)
# chairs: 主持, or convening it (某某同志专门召开…; …后，并随即召开)
CHAIRS = re.compile(words("chair_verb") + r"|^[^。；]{0,40}?(?:并|随后|随即|还|立即)召开|^(?:同志)?[^。；，]{0,6}?召开")
ATTENDS = re.compile(words("attend_verb"))
# the predicate of someone who leads or goes along on a visit
AT_MEETING = re.compile(r"(?:会上|会议上|会议中|座谈会上|座谈中|座谈时)")
# on a visit, the local officials who report to the visitors (介绍, 汇报) went along too
VISITOR = re.compile(words("visit_verb") + r"|参加(?![^，。；]{0,8}会)|介绍|汇报|" + words("lead_verb")[3:-1])


def roles_in(
    text: str, sentences: list[Sentence], all_groups: list[Group], region: tuple[int, int], kind: str, anchor: Sentence
) -> list[tuple[str, str, Sentence]]:
    """(name, role, sentence) of each official named in an event's stretch of text whose
    predicate gives a role: chairs or attends at a meeting, conducts on a visit."""
    groups = [g for g in all_groups if region[0] <= g.start < region[1]]
    taken: dict[str, str] = {}
    out: list[tuple[str, str, Sentence]] = []
    for i, g in enumerate(groups):
        sent = sentence_at(sentences, g.start) or anchor
        pred = _predicate(text, groups, i, sent)
        before = text[sent.start : g.start]
        if QUOTED.match(pred) or RELAYED.search(before):
            continue
        if kind == "Inspection" and AT_MEETING.match(sent.text):
            continue  # 会上，某某汇报: at the meeting held on the visit, not on the visit
        role = _role(kind, pred)
        if role is None:
            continue
        for m in g.members:
            old = taken.get(m.name)
            if old == "chairs" or old == role:
                continue
            if old and role != "chairs":
                continue
            taken[m.name] = role
            out = [r for r in out if r[0] != m.name]
            out.append((m.name, role, sent))
    return out


def _predicate(text: str, groups: list[Group], i: int, sent: Sentence) -> str:
    """What is said of group i: the text after it, or after the next group when only a
    separator lies between them, or a separator and a few words without a verb (the place
    or body of the next title: 甲，长沙市委副书记乙出席; 甲，副指挥乙、丙参会)."""
    j = i
    while True:
        end = groups[j + 1].start if j + 1 < len(groups) and groups[j + 1].start < sent.end else sent.end
        pred = text[groups[j].end : end]
        last = j + 1 >= len(groups) or groups[j + 1].start >= sent.end
        gap = pred.strip("、，, 和及与")
        if gap == "在" and not last and text.startswith("的陪同", groups[j + 1].end):
            j += 1  # 甲在乙的陪同下…调研: both go on the visit
            continue
        # the next group shares the predicate when only a separator and words without a
        # verb of role lie between them (a list of titles and names, each with its own)
        if last or (gap and not (pred[:1] in "、，, 和及与" and not _role_word(gap) and not CLAUSE_END.search(gap))):
            return pred
        j += 1


CLAUSE_END = re.compile(r"[。；！？：]")


def _role_word(text: str) -> bool:
    return bool(CHAIRS.search(text) or ATTENDS.search(text) or VISITOR.search(text))


def _role(kind: str, pred: str) -> str | None:
    head = re.split(r"[。；]", pred, maxsplit=1)[0]
    if kind == "Meeting":
        if CHAIRS.search(head[:30]):
            return "chairs"
        if ATTENDS.search(head[:100]):
            return "attends"
        return None
    if VISITOR.search(head[:40]):
        return "conducts"
    return None
