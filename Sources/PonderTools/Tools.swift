/// Tools inside the reasoning. (Being built: see issue 7.)
public enum PonderToolsModule {}
