"""`--target NAME` for `run` and `practice`: the target fed into the options they already build.

The target's company profile and round-one questions take the place of `--company` and
`--round-one` files (a file given on the command line still wins), and its Grounding joins the
policy. The session records a snapshot of the documents' items (meta.json "target") so the report
can say which achievements and skills were used even after the target is edited.
"""

from __future__ import annotations

from dataclasses import replace


def with_target(args, policy, analysis):
    """(policy, analysis) with the target of args.target, or as they were without one."""
    name = getattr(args, "target", None)
    if not name:
        return policy, analysis
    from simulator.targets.questions import grounding_for
    from simulator.targets.store import load_target

    target = load_target(name)
    company = policy.company if policy.company is not None else target.company
    own_round_one = policy.round_one is None
    round_one = target.round_one if own_round_one else policy.round_one
    grounding = grounding_for(target, policy.mode, with_questions=not getattr(args, "review", False))
    if not own_round_one:
        grounding = replace(grounding, doubts={})  # the round-one file's questions are not the notes'
    caps = {**grounding.probe_caps(), **dict(policy.probes_by_question or {})}
    policy = replace(policy, company=company, round_one=round_one, grounding=grounding, probes_by_question=caps or None)
    analysis = replace(analysis, content=replace(analysis.content, company=company))
    return policy, analysis


def target_company_and_round_one(args):
    """(CompanyProfile | None, RoundOne | None) of args.target, for the transcriber's vocabulary."""
    name = getattr(args, "target", None)
    if not name:
        return None, None
    from simulator.targets.store import load_target

    target = load_target(name)
    return target.company, target.round_one


def session_meta(args) -> dict:
    """{"target": snapshot} for the session's meta.json, or {} without a target."""
    name = getattr(args, "target", None)
    if not name:
        return {}
    from simulator.targets.coverage import snapshot
    from simulator.targets.store import load_target

    return {"target": snapshot(load_target(name), mode=getattr(args, "mode", "full"))}
