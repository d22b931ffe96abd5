"""The programme tools' logic: actions with stable ids, self-assessments and their files, coverage indicators.

Logic only: ``iduit.outline.programme`` turns results into documents, and the formats render them.
"""
