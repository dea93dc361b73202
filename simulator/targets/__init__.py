"""Targets: the candidate's own interview (company research, job posting, résumé, round-one notes).

`mensetsu prepare` saves a named target as plain files in the data folder (store.py); the
documents are read to text once, at that time (documents.py). The pure extractors
(resume.py, posting.py, research.py, round_one_notes.py) turn the text into what the
interviewer uses, and questions.py feeds it into the interview's own machinery: a company
profile, round-one questions, document-grounded questions and probes. coverage.py ties the
report to the documents. Format and behaviour: docs/prepare.md.
"""
