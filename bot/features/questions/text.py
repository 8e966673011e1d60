"""Words of ``/questions``: open-ended questions for a coffee chat."""

HEAD_MIXED = "*Three open-ended questions for your next coffee chat:*"
HEAD_TOPIC = "*Questions about {topic}:*"
LINE = "{n}. {text}"
RESTARTED = "_You've seen every question on this theme, so I'm starting the list again._"
FOOT = (
    "Open questions get people talking — follow up on their answers rather than racing "
    "through the list. Topics: {topics}."
)
UNKNOWN = "I don't have questions about “{topic}” yet. Topics I know: {topics}."
