"""Japanese labels for finding ids, shown to the candidate."""

FINDING_LABELS = {
    "no_numbers": "数字・規模がない",
    "no_process": "やり方（プロセス）が語られていない",
    "abstract": "抽象的な努力表現だけ",
    "blame": "他人や環境のせいにしている",
    "negative_reason": "退職理由がネガティブ",
    "no_learning": "学び・教訓がない",
    "not_conclusion_first": "結論が先に来ていない",
    "too_long": "長すぎる（3分超）",
    "long_answer": "やや長い（1分半超）",
    "too_short": "短すぎる",
    "generic_motivation": "どの会社にも言える志望動機",
    "no_questions": "逆質問がない",
    "conditions_question": "条件面の質問（この段階では早い）",
    "hesitant_start": "答え始めに詰まっている",
    "many_fillers": "フィラーが多い",
}


def finding_label(finding_id: str) -> str:
    return FINDING_LABELS.get(finding_id, finding_id)
