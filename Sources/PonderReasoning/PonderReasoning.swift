/// PonderReasoning: thinking before answering over any `LanguageModel` (effort levels, strategies,
/// titled summaries, answer extraction and equivalence). Depends on PonderCore only.
public enum PonderReasoning {}
