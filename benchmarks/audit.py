"""Recall audit: sentences where the text shows a role or an official and nothing was extracted.

    python benchmarks/audit.py ../shared/corpus/dev ../shared/corpus/xwlb/xwlb.jsonl.gz
    python benchmarks/audit.py CORPUS... [--limit N] [--examples K] [--jobs N] [--json FILE] [--quiet]

Each PATH (a file, a folder or a .jsonl(.gz), as `build_graph.py build` takes) is one
corpus. Every article is read (graph.ingest.read.iter_articles), normalised
(graph.ingest.normalize.normalize) and extracted (graph.extract.extract); then its sentences
(graph.extract.text.split_sentences, less those in page chrome) are searched with the
generic candidate patterns below, and a candidate the extraction did not account for is
a flagged sentence. A sentence is counted at most once per pattern, under the
sub-pattern (verb, position word) of its first unaccounted candidate, so the counts by
sub-pattern add up to the pattern's total.

The candidate patterns are written here and share nothing with the extractor's rules,
so that the audit measures the extractor rather than echoing it. They are generic and
deliberately loose: a flag is a sentence worth reading, not a proven miss.

  name-like run   2-3 Han characters starting with a common single-character surname
                  (SURNAMES), or 3-4 starting with a compound one (复姓: 欧阳, 司马 …), or
                  a transliterated name with a middle dot (阿卜杜·热合曼); the first two
                  characters must not be a common word (NOT_NAMES: 高度, 安全, 单位 …),
                  and the run must end at a boundary: punctuation, the end of the
                  sentence, or a word that typically follows a name in news (同志, 等,
                  一行, 在, 到, 主持, 指出, 强调 …: AFTER_NAME). The longest run that ends
                  at a boundary is taken.
  position word   the head of an official's title (POSITIONS: 书记, 常委, 县长, 主任,
                  秘书长 …), with a 副 before it kept as part of it (副县长); organ words
                  before it (县委, 市政府 …) may be there or not, they are not looked at.

  (a) role verb, no Role      a role verb (ROLE_VERBS: 主持, 出席, 参加, 陪同, 调研,
                              慰问 …) preceded by a name-like run that starts a clause
                              (at the sentence start, after punctuation, after a
                              position word, or after 由 / 及 / 和 / 与), with at most
                              ROLE_GAP characters and no clause punctuation between the
                              name and the verb (张某某主持, 李某到某镇调研); flagged when no
                              `Role` statement's evidence overlaps the sentence.
                              Counted by verb.
  (b) title + name, no post   a position word immediately followed by a name-like run
                              (县委书记张某某, 副县长李某); flagged when no `PostHeld`
                              statement whose evidence overlaps the sentence has a person
                              whose occurrence in the sentence overlaps that run.
                              Counted by position word.
  (c) meeting, no event       a meeting noun (MEETING_NOUN: 会议, 全会, 大会, 座谈会,
                              常委会, 推进会 …) and a meeting verb (MEETING_VERBS: 召开,
                              举行, 主持, 传达, 收听收看, 列席) in the same sentence; flagged
                              when no `EventFound` of the article has its evidence
                              overlapping the sentence or its span covering the noun.
                              Counted by the first of MEETING_VERBS in the sentence.
  (d) date, no date           a date (X月X日, or X日 alone; Arabic or Chinese numerals)
                              in a sentence that an `EventFound`'s evidence overlaps, where
                              that event has neither `date` nor `month_day`. One count.

For (a) and (b) the report also says how many flags name someone who has a `Role` /
`PostHeld` in another sentence of the article (the extractor states a fact once, often
from the headline, so a body sentence restating it is flagged though nothing is lost).

Output (stdout), per corpus: for each pattern the number of sentences flagged, the
counts by sub-pattern, and --examples sentences (the first ones in input order, cut to
80 characters); then a TOTALS line: articles, sentences, flagged a/b/c/d. --json FILE
writes the same (with examples per sub-pattern too) as JSON. Articles are extracted in
--jobs processes (default: all cores); results are taken in input order, so the output
does not depend on --jobs. An article that cannot be read, or whose normalisation,
extraction or audit raises, is counted as skipped. Progress goes to stderr (--quiet: none).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from graph.extract import extract  # noqa: E402
from graph.extract.text import split_sentences  # noqa: E402
from graph.ingest.normalize import normalize  # noqa: E402
from graph.ingest.read import count_articles, iter_articles  # noqa: E402
from graph.records import Document, EventFound, Extraction, PostHeld, RawArticle, Role, Skip  # noqa: E402

PATTERNS = ("a", "b", "c", "d")
PATTERN_TITLES = {
    "a": "(a) role verb next to a name, no Role in the sentence",
    "b": "(b) title + name, no PostHeld for that name",
    "c": "(c) meeting noun + meeting verb, no EventFound covering it",
    "d": "(d) date in an event's sentence, event without date",
}
EXAMPLE_WIDTH = 80

# --- the candidate patterns (independent of graph/extract) --------------------

HAN = "\u4e00-\u9fff"
# common single-character surnames (the most frequent few hundred, less those that are
# mostly function words: 和, 但, 由, 都, 那 …)
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪"
    "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘闻厉伊仝郜阚"
    "权帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计索宣晋初门云容敬扈晁芮浦戈伏邸雍辜羊乌亓裘修邰赫杭况逯隆茹"
    "战慕玉银亢嵇哈湛宾戎勾茅揭尉冶斯束檀衣展昝智幸奉植衡尧"
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "端木",
    "西门",
    "南宫",
    "独孤",
    "呼延",
    "万俟",
    "澹台",
    "公冶",
    "申屠",
)


def _pairs(s: str) -> list[str]:
    return [s[i : i + 2] for i in range(0, len(s), 2)]


# common words whose first character is also a surname: a run starting with one is no name
NOT_NAMES = frozenset(
    _pairs(
        "高度高质高效高标高位高层高校高速高新高温高考高铁高峰高水高压高中高风高级高端文件文明文化文旅文艺文物"
        "文字文稿江苏江西江河江南金融金额金秋任务任何任职程序程度方面方式方案方向方针方法方可常态常委常务常规"
        "常住常年安全安排安置安徽安防安监全面全力全市全县全省全国全体全部全员全区全镇全乡全党全过全年全村全社"
        "全民全方明确明显明年明天南京南方南部时间时期时代时候时任时刻时限向前向上成立成效成果成员成为成功成绩"
        "成本应急应对应该应当应用应检关于关键关注关心关系关爱包括包保包联宁夏尚未路线路面路段项目连续连日简报"
        "简化车辆车间管理管控管道管护华北华侨解决解放解读司法古城吉林景区于是于此石油田间马上黄河黄金龙头史上"
        "严格严肃严禁严重严厉严防严把严守武汉武装康养康复温度施工施策齐心易地章程申报申请欧洲兰州焦点左右甘肃"
        "祝贺符合舒适纪律纪检纪委纪念纪要凌晨毕业单位单独季度苗木盛大蓝天游客辛苦柴油蒙古房屋房地阳光农业农村"
        "农民农田农户司机卓越古代党委党组党员党建党的党政党中党风党史党性党支党总党工费用冷链卫生卫健卫星宗旨"
        "宗教桂林边境边防师生商务商业商品商贸商户沙漠荣誉荣获巩固查看查找查处查阅查验官方官兵封控封闭谈话谈判"
        "惠民惠及乐山班子储备储存劳动满意权益权力权责井冈丰富丰收支持支部支队支援计划宣传宣讲宣布宣读晋升初步"
        "初心门口门诊云南容易敬老战略战斗战役战疫战线玉米银行宾馆展开展示展览智慧智能幸福植树衡阳何时曾经余人"
        "杜绝叶片苏州吕梁马路何况林业林区郑州谢谢唐山许多许可韩国董事余下苏联石家石化齐抓"
    )
)
# words that typically follow a person's name in news prose
AFTER_NAME = (
    "同志",
    "等",
    "一行",
    "在",
    "到",
    "赴",
    "来",
    "前往",
    "深入",
    "主持",
    "出席",
    "参加",
    "列席",
    "陪同",
    "带队",
    "率队",
    "率领",
    "带领",
    "率",
    "调研",
    "视察",
    "检查",
    "督导",
    "督查",
    "慰问",
    "走访",
    "看望",
    "考察",
    "讲话",
    "指出",
    "强调",
    "表示",
    "说",
    "要求",
    "作",
    "做",
    "对",
    "就",
    "为",
    "向",
    "与",
    "和",
    "及",
    "同",
    "分别",
    "也",
    "还",
    "一同",
    "一起",
    "先后",
    "代表",
    "宣读",
    "通报",
    "传达",
    "介绍",
    "汇报",
    "参观",
    "会见",
    "会晤",
    "听取",
    "召开",
    "主讲",
    "致辞",
    "讲",
    "提出",
    "部署",
    "实地",
    "是",
    "的",
    "任",
    "为",
    "担任",
    "兼",
    "出任",
    "主任",
    "书记",
    "以",
    "通过",
    "专程",
    "亲自",
    "首先",
    "随后",
    "最后",
)
# heads of officials' titles (a 副 before one is kept with it)
POSITIONS = (
    "书记",
    "副书记",
    "总书记",
    "常委",
    "委员",
    "主任",
    "主席",
    "局长",
    "厅长",
    "县长",
    "市长",
    "区长",
    "省长",
    "州长",
    "旗长",
    "盟长",
    "镇长",
    "乡长",
    "村长",
    "部长",
    "秘书长",
    "处长",
    "科长",
    "政委",
    "司令员",
    "组长",
    "总理",
    "国务委员",
    "委员长",
    "检察长",
    "院长",
    "庭长",
    "署长",
    "行长",
    "社长",
    "校长",
    "队长",
    "所长",
    "站长",
    "会长",
    "理事长",
    "董事长",
    "总经理",
    "主委",
    "专员",
    "巡视员",
    "督察长",
    "司长",
    "参谋长",
)
ROLE_VERBS = (
    "主持",
    "出席",
    "参加",
    "列席",
    "陪同",
    "带队",
    "率队",
    "调研",
    "视察",
    "检查",
    "督导",
    "督查",
    "慰问",
    "走访",
    "看望",
    "考察",
    "巡查",
    "暗访",
    "主讲",
    "会见",
)
ROLE_GAP = 12  # characters at most between a name and its role verb
NAME_ANCHORS = ("由", "及", "和", "与")  # words after which a name may start a clause
MEETING_NOUN = re.compile(
    "会议|全会|大会|(?:座谈|常委|常务|党组|推进|调度|部署|动员|专题|研讨|培训|现场|视频|工作|联席|协调|汇报|报告"
    "|交流|论证|听证|观摩|评审|分析|通报|恳谈|务虚|碰头|发布|总结|表彰|誓师|警示|宣讲|学习|讨论|见面|对接"
    "|推介|例|年|办公|主任|书记|点评|述职)会"
)
MEETING_VERBS = ("召开", "举行", "主持", "传达", "收听收看", "列席")
_NUM = "[0-9０-９]{1,2}"
_CNUM = "[一二三四五六七八九十]{1,3}"
_CDAY = "(?:[一二三四五六七八九十廿卅]{1,3})"
DATE = re.compile(rf"(?:{_NUM}|{_CNUM})月(?:{_NUM}|{_CDAY})日|(?<![0-9０-９.．年月])[0-9０-９]{{1,2}}日(?![本报])")

_CLAUSE_PUNCT = "，。；：！？,;:!?\n"
_BOUNDARY_CHARS = set("，。、；：！？,;:!?“”‘’\"'（）()《》〈〉【】[]— \u3000\t\n·")
_ANCHOR_CHARS = set("，。、；：！？,;:!?“”‘’\"'（）()《》〈〉【】[] \u3000\t\n")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_POSITION_RE = re.compile(f"(?:{_alternation(POSITIONS)})")
_ROLE_VERB_RE = re.compile(_alternation(ROLE_VERBS))
_AFTER_NAME_RE = re.compile(_alternation(AFTER_NAME))
_AFTER_NAME_CHARS = frozenset(w for w in AFTER_NAME if len(w) == 1)
_DOT_NAME_RE = re.compile(f"[{HAN}]{{1,6}}·[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})?")
_HAN_CHAR = re.compile(f"[{HAN}]")


def _at_boundary(text: str, pos: int) -> bool:
    """Whether a name may end just before `pos`."""
    return pos >= len(text) or text[pos] in _BOUNDARY_CHARS or _AFTER_NAME_RE.match(text, pos) is not None


def name_at(text: str, pos: int) -> int | None:
    """The end of the name-like run starting at `pos` (see the module doc), or None."""
    m = _DOT_NAME_RE.match(text, pos)
    if m:
        last_dot = m.group().rindex("·") + pos
        return _best_end(text, range(m.end(), last_dot + 1, -1))
    if text[pos : pos + 2] in NOT_NAMES:
        return None
    if text[pos : pos + 2] in COMPOUND_SURNAMES:
        ends = range(pos + 4, pos + 2, -1)
    elif text[pos : pos + 1] in SURNAMES:
        ends = range(pos + 3, pos + 1, -1)
    else:
        return None
    return _best_end(text, [e for e in ends if e <= len(text) and all(_HAN_CHAR.match(c) for c in text[pos:e])])


def _best_end(text: str, ends: Iterable[int]) -> int | None:
    """Of the possible ends of a name (longest first), the longest at a boundary whose last
    character is not a word that follows names (王某等出席: 王某, not 王某等); else the longest
    at a boundary."""
    at_boundary = [e for e in ends if _at_boundary(text, e)]
    clean = [e for e in at_boundary if text[e - 1] not in _AFTER_NAME_CHARS]
    best = clean or at_boundary
    return best[0] if best else None


def _anchored(text: str, pos: int, position_ends: set[int]) -> bool:
    """Whether a name may start at `pos`: the start, after punctuation, after a position
    word, or after one of NAME_ANCHORS."""
    if pos == 0 or text[pos - 1] in _ANCHOR_CHARS or pos in position_ends:
        return True
    return any(text.endswith(w, 0, pos) for w in NAME_ANCHORS)


def role_candidates(text: str) -> list[tuple[str, int, int]]:
    """(verb, name start, name end) for each role verb preceded by an anchored name-like run."""
    position_ends = {m.end() for m in _POSITION_RE.finditer(text)}
    out: list[tuple[str, int, int]] = []
    for v in _ROLE_VERB_RE.finditer(text):
        lo = max(0, v.start() - ROLE_GAP - 4)
        for start in range(lo, v.start() - 1):
            end = name_at(text, start)
            if end is None or end > v.start() or not _anchored(text, start, position_ends):
                continue
            gap = text[end : v.start()]
            if len(gap) <= ROLE_GAP and not any(c in _CLAUSE_PUNCT for c in gap):
                out.append((v.group(), start, end))
                break
    return out


def title_candidates(text: str) -> list[tuple[str, int, int]]:
    """(position word, name start, name end) for each position word followed by a name-like run."""
    out: list[tuple[str, int, int]] = []
    for m in _POSITION_RE.finditer(text):
        word = m.group()
        if m.start() > 0 and text[m.start() - 1] == "副" and not word.startswith("副"):
            word = "副" + word
        end = name_at(text, m.end()) if m.end() < len(text) else None
        if end is not None:
            out.append((word, m.end(), end))
    return out


def meeting_candidates(text: str) -> list[tuple[str, int]]:
    """(meeting verb, noun start) for each meeting noun, when the sentence has a meeting verb
    (the first of MEETING_VERBS that it has: 召开 rather than the 主持 of 主持召开)."""
    verb = next((v for v in MEETING_VERBS if v in text), None)
    if verb is None:
        return []
    return [(verb, m.start()) for m in MEETING_NOUN.finditer(text)]


# --- auditing one article ---------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    pattern: str  # "a" | "b" | "c" | "d"
    key: str  # the sub-pattern: verb, position word ("" for d)
    start: int  # the sentence's offsets in doc.text
    end: int
    sentence: str
    elsewhere: bool = False  # (a), (b): the name has a Role / PostHeld in another sentence of the article


@dataclass(frozen=True)
class ArticleAudit:
    name: str
    sentences: int
    flags: tuple[Flag, ...] = ()

    def counts(self) -> Counter[str]:
        return Counter(f.pattern for f in self.flags)


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _person_overlaps(text: str, person: str, start: int, end: int) -> bool:
    """Whether an occurrence of `person` in `text` overlaps [start, end)."""
    if not person:
        return False
    i = text.find(person)
    while i >= 0:
        if _overlaps(i, i + len(person), start, end):
            return True
        i = text.find(person, i + 1)
    return False


def _same_name(run: str, people: set[str]) -> bool:
    return any(p and (run.startswith(p) or p.startswith(run)) for p in people)


def audit_document(doc: Document, extraction: Extraction) -> ArticleAudit:
    """The flagged sentences of one article (see the module doc), in text order."""
    roles = [s.evidence for s in extraction.statements if isinstance(s, Role)]
    role_people = {s.person for s in extraction.statements if isinstance(s, Role)}
    posts = [s for s in extraction.statements if isinstance(s, PostHeld)]
    post_people = {s.person for s in posts}
    events = [s for s in extraction.statements if isinstance(s, EventFound)]
    flags: list[Flag] = []
    n = 0
    for sent in split_sentences(doc.text):
        if doc.in_chrome(sent.start):
            continue
        n += 1
        s0, s1, text = sent.start, sent.end, sent.text

        def flag(pattern: str, key: str, elsewhere: bool = False, s0: int = s0, s1: int = s1, t: str = text) -> None:
            flags.append(Flag(pattern, key, s0, s1, t, elsewhere))

        # (a)
        role_here = any(_overlaps(ev.start, ev.end, s0, s1) for ev in roles)
        if not role_here:
            found = role_candidates(text)
            if found:
                verb, n0, n1 = found[0]
                flag("a", verb, _same_name(text[n0:n1], role_people))
        # (b)
        sent_posts = [p.person for p in posts if _overlaps(p.evidence.start, p.evidence.end, s0, s1)]
        for word, n0, n1 in title_candidates(text):
            if not any(_person_overlaps(text, person, n0, n1) for person in sent_posts):
                flag("b", word, _same_name(text[n0:n1], post_people))
                break
        # (c)
        for verb, noun in meeting_candidates(text):
            if not any(
                _overlaps(e.evidence.start, e.evidence.end, s0, s1) or e.span[0] <= s0 + noun < e.span[1]
                for e in events
            ):
                flag("c", verb)
                break
        # (d)
        if DATE.search(text):
            here = [e for e in events if _overlaps(e.evidence.start, e.evidence.end, s0, s1)]
            if any(e.date is None and e.month_day is None for e in here):
                flag("d", "")
    return ArticleAudit(doc.name, n, tuple(flags))


def audit_raw(raw: RawArticle) -> ArticleAudit | str:
    """Normalise, extract and audit one article; a message instead when any step raises."""
    try:
        doc = normalize(raw)
        return audit_document(doc, extract(doc, original_offsets=False))
    except Exception as exc:
        return f"failed {raw.source}: {type(exc).__name__}: {exc}"


# --- a corpus ---------------------------------------------------------------------


@dataclass
class PatternReport:
    total: int = 0
    by_key: Counter[str] = field(default_factory=Counter)
    elsewhere: int = 0  # (a), (b): flags whose name has a Role / PostHeld in another sentence
    examples: list[str] = field(default_factory=list)
    key_examples: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class CorpusReport:
    label: str
    articles: int = 0
    skipped: int = 0
    sentences: int = 0
    seconds: float = 0.0
    skip_lines: list[str] = field(default_factory=list)
    patterns: dict[str, PatternReport] = field(default_factory=lambda: {p: PatternReport() for p in PATTERNS})

    def add(self, audit: ArticleAudit, examples: int) -> None:
        self.articles += 1
        self.sentences += audit.sentences
        for f in audit.flags:
            rep = self.patterns[f.pattern]
            rep.total += 1
            rep.by_key[f.key] += 1
            rep.elsewhere += f.elsewhere
            line = f"[{audit.name}] {_cut(f.sentence)}"
            if len(rep.examples) < examples:
                rep.examples.append(line)
            some = rep.key_examples.setdefault(f.key, [])
            if len(some) < examples:
                some.append(line)

    def text(self) -> str:
        lines = [f"== {self.label} =="]
        for p in PATTERNS:
            rep = self.patterns[p]
            lines.append(f"{PATTERN_TITLES[p]}: {rep.total} sentence(s)")
            if p != "d" and rep.by_key:
                lines.append("    by " + ("verb" if p in "ac" else "position word") + ": " + _by_key(rep.by_key))
            if p in "ab":
                what = "a Role" if p == "a" else "a PostHeld"
                lines.append(f"    of which the name has {what} in another sentence: {rep.elsewhere}")
            lines.extend(f"    e.g. {e}" for e in rep.examples)
        skipped = f" (skipped {self.skipped})" if self.skipped else ""
        lines.append(
            f"TOTALS {self.label}: articles {self.articles}{skipped}, sentences {self.sentences}, flagged "
            + " ".join(f"{p}={self.patterns[p].total}" for p in PATTERNS)
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "articles": self.articles,
            "skipped": self.skipped,
            "skips": self.skip_lines,
            "sentences": self.sentences,
            "patterns": {
                p: {
                    "total": rep.total,
                    "elsewhere": rep.elsewhere,
                    "by_key": dict(_sorted_counts(rep.by_key)),
                    "examples": rep.examples,
                    "examples_by_key": {k: rep.key_examples[k] for k, _ in _sorted_counts(rep.by_key)},
                }
                for p, rep in self.patterns.items()
            },
        }


def _cut(sentence: str) -> str:
    return sentence if len(sentence) <= EXAMPLE_WIDTH else sentence[: EXAMPLE_WIDTH - 1] + "…"


def _sorted_counts(c: Counter[str]) -> list[tuple[str, int]]:
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def _by_key(c: Counter[str]) -> str:
    return "  ".join(f"{k} {n}" for k, n in _sorted_counts(c))


BATCH = 8  # articles sent to a worker at a time
IN_FLIGHT = 1000  # articles the pool may hold


def _audit_batch(batch: list[RawArticle]) -> list[ArticleAudit | str]:
    return [audit_raw(raw) for raw in batch]


def _batched(items: Iterable[RawArticle], n: int) -> Iterator[list[RawArticle]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def run_audits(raws: Iterable[RawArticle], jobs: int) -> Iterator[ArticleAudit | str]:
    """audit_raw over `raws`, in their order, in `jobs` processes (a bounded window)."""
    if jobs <= 1:
        yield from map(audit_raw, raws)
        return
    window: deque[Future[list[ArticleAudit | str]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for batch in _batched(raws, BATCH):
            window.append(pool.submit(_audit_batch, batch))
            if len(window) >= max(jobs * 4, IN_FLIGHT // BATCH):
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def audit_corpus(
    path: str | Path, *, limit: int | None = None, examples: int = 3, jobs: int = 1, quiet: bool = True
) -> CorpusReport:
    """Audit every article under `path` (the first `limit` inputs when given)."""
    from tqdm import tqdm

    started = time.perf_counter()
    report = CorpusReport(Path(path).name)
    total = None if quiet else count_articles([path])
    if total is not None and limit is not None:
        total = min(total, limit)
    bar = tqdm(desc=report.label, total=total, unit=" art", disable=quiet, file=sys.stderr, dynamic_ncols=True)
    items = iter_articles([path])
    if limit is not None:
        items = islice(items, limit)

    def raws() -> Iterator[RawArticle]:
        for item in items:
            if isinstance(item, Skip):
                report.skipped += 1
                report.skip_lines.append(item.line())
                bar.update(1)
                continue
            if isinstance(item, RawArticle):
                yield item

    for result in run_audits(raws(), jobs):
        if isinstance(result, str):
            report.skipped += 1
            report.skip_lines.append(result)
            if not quiet:
                bar.write(result, file=sys.stderr)
        else:
            report.add(result, examples)
        bar.update(1)
    bar.close()
    report.seconds = time.perf_counter() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("paths", nargs="+", metavar="PATH", help="a file, folder or .jsonl(.gz): one corpus each")
    ap.add_argument("--limit", type=int, default=None, help="audit the first N inputs of each corpus")
    ap.add_argument("--examples", type=int, default=3, metavar="K", help="example sentences per pattern (3)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    ap.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the reports as JSON")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = ap.parse_args(argv)
    reports = []
    for path in args.paths:
        if not Path(path).exists():
            ap.error(f"no such file or folder: {path}")
    for path in args.paths:
        rep = audit_corpus(path, limit=args.limit, examples=args.examples, jobs=max(1, args.jobs), quiet=args.quiet)
        print(rep.text(), flush=True)
        if not args.quiet:
            print(f"{rep.label}: {rep.articles} article(s) in {rep.seconds:.1f} s", file=sys.stderr)
        reports.append(rep)
    if args.json is not None:
        data = [r.to_json() for r in reports]
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
