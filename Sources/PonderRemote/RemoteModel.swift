/// An OpenAI-compatible upstream as a `LanguageModel`. (Being built: see issue 4.)
public enum PonderRemoteModule {}
