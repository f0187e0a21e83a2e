"""The baseline a bureau would make by hand (`--method greedy`): each quality school in turn (by code) sends its
eligible teachers, backbone teachers first (then by staff number), each to the nearest weaker school of the cluster
with need left in the teacher's subject and stage, until it has sent ⌈m · E(q)⌉.

So that its plan is a plan — one the optimiser's could be compared with under the same objective — the greedy plan
keeps the hard rules as well: a school sends a teacher who is not a backbone teacher only while the backbone share
still holds after it, and, with teams on, a weaker school left with fewer than the team minimum gets none of them
(those teachers stay home; a sender left below its backbone share by that then withdraws its last non-backbone
teachers, and so on until nothing changes).

Pairs pinned by hand are placed first and never withdrawn; forbidden pairs are no candidates.
"""

from __future__ import annotations

from collections import Counter

from .problem import (
    Candidate,
    Cluster,
    Options,
    candidates_by_teacher,
    canonical_subject,
    pinned_candidates,
    share_ratio,
)


def greedy(cluster: Cluster, options: Options) -> list[Candidate]:
    a, b = share_ratio(options.backbone_share)
    left = dict(cluster.needs)
    options_of = candidates_by_teacher(cluster)
    chosen = pinned_candidates(cluster, options)
    placed = {c.teacher.staff_number for c in chosen}
    for c in chosen:
        left[(c.school.code, canonical_subject(c.teacher.subject), c.teacher.stage)] -= 1
    for quality in cluster.quality:
        most = cluster.to_send(quality.code, options.upper_share)
        teachers = sorted(
            cluster.teachers.get(quality.code, []), key=lambda t: (not t.backbone, t.staff_number)
        )
        mine = [c for c in chosen if c.teacher.school_code == quality.code]
        sent, backbone = len(mine), sum(c.teacher.backbone for c in mine)
        for teacher in teachers:
            if teacher.staff_number in placed:
                continue
            if sent >= most:
                break
            if not teacher.backbone and b * backbone < a * (sent + 1):
                continue
            subject = canonical_subject(teacher.subject)
            open_ = [
                c
                for c in options_of.get(teacher.staff_number, [])
                if left[(c.school.code, subject, teacher.stage)] > 0
            ]
            if not open_:
                continue
            best = min(open_, key=lambda c: (c.km, c.school.code))
            left[(best.school.code, subject, teacher.stage)] -= 1
            chosen.append(best)
            sent += 1
            backbone += teacher.backbone
    return repaired(cluster, chosen, options) if options.teams else chosen


def repaired(cluster: Cluster, chosen: list[Candidate], options: Options) -> list[Candidate]:
    """Withdraws teams below the minimum, and then what breaks the backbone share, until the plan keeps both."""
    a, b = share_ratio(options.backbone_share)

    def pinned(c: Candidate) -> bool:
        return (c.teacher.staff_number, c.school.code) in options.pinned

    while True:
        received = Counter(c.school.code for c in chosen)
        small = {w for w, n in received.items() if n < options.team_minimum}
        kept = [c for c in chosen if c.school.code not in small or pinned(c)]
        for quality in cluster.quality:
            mine = [c for c in kept if c.teacher.school_code == quality.code]
            backbone = sum(c.teacher.backbone for c in mine)
            others = [c for c in mine if not c.teacher.backbone and not pinned(c)]
            while others and b * backbone < a * (backbone + len(others)):
                kept.remove(others.pop())
        if len(kept) == len(chosen):
            return kept
        chosen = kept
