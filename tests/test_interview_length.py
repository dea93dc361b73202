"""A full interview of a good candidate lasts like a real second round: the policy and the real judgement.

The candidate answers every main question with a clean answer from the development set and every
follow-up with a clean answer to that rung; the interviewer still digs each experience answer down
the ladder, never repeats a probe, and reacts to the reverse question before closing.
"""

from __future__ import annotations

from simulator.analysis.content import ContentOptions, judge
from simulator.evaluation.findings import BENCH, load_bench
from simulator.interview.policy import Exchange, PolicyOptions, next_prompt
from simulator.interview.question_sets import load_question_set

# What a well-prepared candidate says to each kind of follow-up.
RUNG_ANSWERS = {
    "deeper:method": "ほかにチラシの配布も考えましたが、費用対効果を比べて、既存のお客様への訪問を優先しました。三か月で効果を測れるのが決め手です。",
    "deeper:role": "私の役割は、訪問の順番を決める表を作って、毎週の会議で進み具合を確認することでした。メンバー四人の担当も私が決めました。",
    "deeper:obstacle": "一番苦労したのは、最初の一か月で成果が出なかったことです。そこで訪問のリストを見直して、決裁者に会えるお客様を先にしました。",
    "deeper:result": "訪問数は月に四十件から七十件に増えて、受注率は十五パーセントから二十二パーセントに上がりました。",
    "deeper:repeat": "御社でも、まず既存のお客様の購買データを三か月分見直して、訪問の順番を決めるところから始めます。",
}
WORK_QUESTION = "最初の三か月で、配属先のチームから一番期待されることは何でしょうか。"
NO_MORE = "ありがとうございます。ほかは大丈夫です。"


def _good_answers() -> dict[str, list[str]]:
    by_category: dict[str, list[str]] = {}
    for item in load_bench(BENCH):
        if not item.expected and item.category != "reverse" and 80 <= len(item.text) <= 400:
            by_category.setdefault(item.category, []).append(item.text)
    return by_category


def test_a_good_candidate_gets_a_full_second_round():
    qset = load_question_set("core")
    answers = _good_answers()
    used: dict[str, int] = {}
    history: list[Exchange] = []
    reverse_turns = 0
    while (prompt := next_prompt(qset, history, PolicyOptions())) is not None:
        assert len(history) < 60, "the interview does not end"
        if prompt.category == "reverse":
            text = WORK_QUESTION if reverse_turns == 0 else NO_MORE
            reverse_turns += 1
        elif prompt.kind == "probe":
            text = RUNG_ANSWERS.get(prompt.reason.get("family", ""), RUNG_ANSWERS["deeper:result"])
        else:
            n = used.get(prompt.category, 0)
            used[prompt.category] = n + 1
            text = answers[prompt.category][n % len(answers[prompt.category])]
        question = prompt.text if prompt.kind == "question" else ""
        j = judge(text, prompt.category, 75.0, 1.0, 0.0, ContentOptions(question=question))
        history.append(Exchange(prompt, tuple((f.id, f.evidence) for f in j.findings), 75.0, text, j.claim, j.covered))

    prompts = [h.prompt for h in history]
    assert len(prompts) >= 25
    for q in qset.questions:
        if q.category == "experience":
            follow_ups = [p for p in prompts if p.kind == "probe" and p.question_id == q.id]
            assert len(follow_ups) >= 2, (q.id, [p.text for p in follow_ups])
    probes = [p.text for p in prompts if p.kind == "probe"]
    assert len(probes) == len(set(probes))  # no probe repeated
    assert any(p.reason.get("probe") == "reverse_answer" for p in prompts)  # the interviewer answered the question
    asked = {p.question_id for p in prompts if p.kind == "question"}
    assert {"other_offers", "first_choice", "start_date"} <= asked
