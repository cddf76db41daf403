"""Random but readable plans: for round-trip tests, benchmarks and demo data at any size.

A generated plan is one a person could have typed: Indonesian-looking texts built from a word
list, every kind of target, amounts up to Rp 1 trillion, ``-`` and missing costs, budget codes
of every shape the AKUN column holds, schedules, remarks and persons in charge. It is also a plan
whose printed table has exactly one reading, so a faithful import gives back the same tree:

* names of goals, program goals, indicators, activities and lines are unique within the plan,
  never start with a digit (a target does) and never equal a header word;
* every indicator has at least one line, and every line an activity; an activity may continue
  from one line to the next, also into the next indicator of the same program goal (one merged
  KEGIATAN cell serving several indicators), but never into another program goal;
* a goal without a header (``number is None``) is either the first goal, or sits between two
  numbered goals whose numbers jump (2 → 6), the sign of missing pages the importer flags.
"""

from __future__ import annotations

import random
from typing import TypeVar

from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal

__all__ = ["HEADERLESS_REVIEW_NOTE", "random_plan"]

T = TypeVar("T")

HEADERLESS_REVIEW_NOTE = "no strategic goal header"

_GOAL_STARTS = ("Meningkatnya", "Terwujudnya", "Tersedianya", "Menguatnya", "Terselenggaranya")
_PROGRAM_GOAL_STARTS = ("Terlaksananya", "Tersedianya", "Meningkatnya", "Terwujudnya", "Pengelolaan")
_INDICATOR_STARTS = ("Persentase", "Jumlah", "Tingkat", "Indeks", "Rasio", "Nilai")
_ACTIVITY_STARTS = ("Pengelolaan", "Penyusunan", "Fasilitasi", "Pelaksanaan", "Layanan", "Pembinaan")
_LINE_STARTS = ("Rapat", "Bimtek", "Sosialisasi", "Belanja", "Honor", "Monitoring", "Penyusunan", "Pengadaan")
_WORD_TEXT = (
    "Kualitas Layanan Informasi Data Publik Arsip Kepegawaian Pegawai Logistik Pemilu Pemilihan Tahapan "
    "Kampanye Partai Politik Peserta Pemilih Pemula Perempuan Disabilitas Anggaran Keuangan Perencanaan "
    "Pelaporan Evaluasi Kinerja Dokumen Rencana Kerja Tahunan Sarana Prasarana Perkantoran Gedung Peralatan "
    "Hukum Produk Regulasi Teknis Sosialisasi Pendidikan Partisipasi Masyarakat Badan Adhoc Rekapitulasi "
    "Suara Hasil Verifikasi Faktual Daerah Wilayah Pemetaan Kearsipan Pengaduan Persuratan Media Website "
    "Pengadaan Distribusi Inventarisasi Pemeliharaan Kendaraan Dinas Digitalisasi Rumah Pintar Koordinasi "
    "Stakeholder Lembaga Pengawasan Internal Akuntabel Transparan Tepat Waktu Akurat Efektif Efisien "
    "Berkelanjutan Terpadu Daring Luring Sekretariat Bagian Subbagian Satker Provinsi Kabupaten/Kota "
    "Gorontalo Boalemo Pohuwato Bolango Utara Nasional Daerah Terkait Ormas Perguruan Tinggi"
)
_WORDS = tuple(_WORD_TEXT.split())
# Pieces that make texts harder to read back: a quoted phrase (PDF text keeps stray quotes), the
# CSV delimiters, parentheses, a year, an en dash (in cp1252, not in ASCII).
_FLOURISHES = (
    '"Pendidikan Pemilih Kepemiluan dan Demokrasi"',
    "KPU Provinsi Gorontalo",
    "se-Provinsi Gorontalo",
    "(RPP)",
    "Tahun 2024",
    "(IT, Akuntansi, Hukum)",
    "Pusat; Daerah",
    "Pemilu\u2013Pemilihan",
    "dan/atau",
)
_CONNECTORS = ("dan", "yang", "di", "dalam", "untuk", "pada", "serta")
_UNITS = ("Dokumen", "Satker", "Rancangan", "Draft", "Orang", "Laporan", "Berkas", "Satker Kabupaten/Kota")
_FREE_TARGETS = (
    "Provinsi dan 6 Satker Kabupaten/Kota",
    "Seluruh Satker",
    "Tepat Waktu",
    "Opini WTP",
    "Sesuai Jadwal Tahapan",
)
_KROS = ("EBA", "EBC", "BDB", "BAB", "BBB", "QGE")
_REMARKS = (
    "Dilaksanakan secara daring",
    "Menunggu revisi anggaran",
    "Bersama KPU Kabupaten/Kota",
    "Swakelola",
)
_PEOPLE = (
    "Kasubbag Perencanaan, Data dan Informasi",
    "Kasubbag Keuangan, Umum dan Logistik",
    "Kasubbag Hukum dan SDM",
    "Kasubbag Teknis Penyelenggaraan Pemilu",
    "Andi Pratama",
    "Siti Rahmawati",
)
_SIGNING_UNITS = ("SEKRETARIS", "KETUA", "KEPALA BAGIAN TEKNIS")
_AGENCIES = (
    "KOMISI PEMILIHAN UMUM PROVINSI GORONTALO",
    "KOMISI PEMILIHAN UMUM KABUPATEN BOALEMO",
    "KOMISI PEMILIHAN UMUM KOTA GORONTALO",
)


def random_plan(
    seed: int | random.Random,
    lines: int = 40,
    *,
    headerless: bool | None = None,
    person_in_charge: bool | None = None,
    title: bool | None = None,
) -> PlanTree:
    """A plan of exactly ``lines`` Rencana Kegiatan, the same for the same seed.

    ``headerless``, ``person_in_charge`` and ``title`` force a goal without a header, a
    PENANGGUNG JAWAB column and a title block on or off; ``None`` lets the seed decide.
    """
    if lines < 1:
        raise ValueError("a plan needs at least one line")
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    return _Generator(rng).plan(lines, headerless=headerless, person_in_charge=person_in_charge, title=title)


class _Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    # -- texts ------------------------------------------------------------------------------------
    def name(self, starts: tuple[str, ...]) -> str:
        rng = self.rng
        words = [rng.choice(starts)]
        for _ in range(rng.randint(2, 6)):
            words.append(rng.choice(_WORDS))
            if rng.random() < 0.15:
                words.append(rng.choice(_CONNECTORS))
        if rng.random() < 0.1:
            words.insert(rng.randint(2, len(words)), rng.choice(_FLOURISHES))
        text = " ".join(words)
        while text in self.used:
            text = f"{text} {rng.choice(_WORDS)}"
        self.used.add(text)
        return text

    def target(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.35:
            return f"{rng.randint(1, 100)}%"
        if kind < 0.5:
            return f"{rng.randint(1, 99)},{rng.randint(1, 99)}%"
        if kind < 0.6:
            low = rng.randint(1, 90)
            dash = rng.choice((" - ", "-", "\u2013"))
            return f"{low}{dash}{rng.randint(low, 100)}%"
        if kind < 0.63:
            low = rng.randint(1, 60)
            return f"{low},{rng.randint(1, 9)}-{low + 1},{rng.randint(1, 9)}"
        if kind < 0.85:
            return f"{rng.randint(1, 50)} {rng.choice(_UNITS)}"
        if kind < 0.9:
            return f"{rng.randint(1, 9)}.{rng.randint(0, 999):03d} Orang"
        return rng.choice(_FREE_TARGETS)

    def budget_code(self) -> str:
        rng = self.rng
        parts = [f"{rng.randint(1000, 9999)}", rng.choice(_KROS) if rng.random() < 0.7 else _random_kro(rng)]
        shape = rng.random()
        if shape < 0.15:
            return ".".join(parts)
        parts.append(f"{rng.randint(0, 999):03d}")
        tail = [
            f"{rng.randint(0, 999):03d}" if rng.random() < 0.3 else None,  # komponen
            rng.choice("ABCDEFGH") if rng.random() < 0.5 else None,  # subkomponen
            f"{rng.choice((521211, 521213, 522151, 524111, 525112, 532111))}"
            if rng.random() < 0.15
            else None,
        ]
        return ".".join(parts + [segment for segment in tail if segment is not None])

    def cost(self) -> tuple[int | None, CostState]:
        rng = self.rng
        state = rng.random()
        if state < 0.12:
            return None, CostState.NONE
        if state < 0.2:
            return None, CostState.ABSENT
        size = rng.random()
        if size < 0.05:
            return rng.randint(0, 999), CostState.AMOUNT
        if size < 0.1:
            return rng.randint(0, 10**12), CostState.AMOUNT
        return rng.randint(1, 5_000_000) * 1000, CostState.AMOUNT

    def months(self) -> tuple[int, ...]:
        rng = self.rng
        if rng.random() < 0.15:
            return ()
        if rng.random() < 0.5:
            start = rng.randint(1, 12)
            return tuple(range(start, rng.randint(start, 12) + 1))
        return tuple(sorted(rng.sample(range(1, 13), rng.randint(1, 12))))

    # -- structure --------------------------------------------------------------------------------
    def plan(
        self, lines: int, *, headerless: bool | None, person_in_charge: bool | None, title: bool | None
    ) -> PlanTree:
        rng = self.rng
        tree = PlanTree()
        if title if title is not None else rng.random() < 0.8:
            tree.year = rng.randint(2020, 2030)
            tree.title = f"RENCANA AKSI TAHUN {tree.year}"
            if rng.random() < 0.8:
                tree.signing_unit = rng.choice(_SIGNING_UNITS)
                if rng.random() < 0.8:
                    tree.agency_label = rng.choice(_AGENCIES)
        with_pic = person_in_charge if person_in_charge is not None else rng.random() < 0.3

        indicators = _partition(rng, [1] * lines, (1, 1, 1, 2, 3, 4))
        program_goals = _partition(rng, indicators, (1, 2, 3, 4))
        # A plan has a handful of strategic goals (the seed: 7) however many lines it has.
        goal_count = rng.randint(1, min(len(program_goals), max(2, len(program_goals) // 3), 12))
        groups = _split(rng, program_goals, goal_count)  # goals -> program goals -> indicators
        headerless_at: int | None = None
        wants_headerless = headerless if headerless is not None else rng.random() < 0.3
        if wants_headerless:
            headerless_at = (
                rng.randrange(1, len(groups) - 1) if len(groups) >= 3 and rng.random() < 0.6 else 0
            )
        number = 0
        for position, program_goal_groups in enumerate(groups):
            if position == headerless_at:
                goal = Goal(number=None, text="")
            else:
                number += 1 if headerless_at is None or position != headerless_at + 1 else rng.randint(2, 4)
                goal = Goal(number=str(number), text=self.name(_GOAL_STARTS))
            for indicator_groups in program_goal_groups:
                goal.program_goals.append(self.program_goal(indicator_groups, with_pic))
                if goal.number is None:
                    goal.program_goals[-1].needs_review = True
                    goal.program_goals[-1].review_note = HEADERLESS_REVIEW_NOTE
            tree.goals.append(goal)
        return tree

    def program_goal(self, indicator_groups: list[list[int]], with_pic: bool) -> ProgramGoal:
        rng = self.rng
        program_goal = ProgramGoal(text=self.name(_PROGRAM_GOAL_STARTS))
        activity = ""
        for line_counts in indicator_groups:
            indicator = Indicator(text=self.name(_INDICATOR_STARTS), target=self.target())
            for position in range(sum(line_counts)):
                continues = activity and rng.random() < (0.3 if position == 0 else 0.5)
                if not continues:
                    activity = self.name(_ACTIVITY_STARTS)
                indicator.lines.append(self.line(activity, with_pic))
                indicator.link_activity(activity)
            program_goal.indicators.append(indicator)
        return program_goal

    def line(self, activity: str, with_pic: bool) -> Line:
        rng = self.rng
        cost, state = self.cost()
        code = self.budget_code() if rng.random() < 0.85 else ""
        return Line(
            name=self.name(_LINE_STARTS),
            activity=activity,
            months=self.months(),
            cost=cost,
            cost_state=state,
            budget_code=code,
            remarks=rng.choice(_REMARKS) if rng.random() < 0.15 else "",
            person_in_charge=rng.choice(_PEOPLE) if with_pic and rng.random() < 0.7 else "",
        )


def _random_kro(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))


def _partition(rng: random.Random, items: list[T], sizes: tuple[int, ...]) -> list[list[T]]:
    """Split ``items`` into consecutive groups whose sizes are drawn from ``sizes``."""
    groups: list[list[T]] = []
    start = 0
    while start < len(items):
        size = rng.choice(sizes)
        groups.append(items[start : start + size])
        start += size
    return groups


def _split(rng: random.Random, items: list[T], parts: int) -> list[list[T]]:
    """Split ``items`` into ``parts`` non-empty consecutive groups at random places."""
    cuts = sorted(rng.sample(range(1, len(items)), parts - 1))
    return [items[start:end] for start, end in zip([0, *cuts], [*cuts, len(items)], strict=True)]
