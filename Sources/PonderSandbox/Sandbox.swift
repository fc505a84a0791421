/// Runs untrusted code in a separate, limited process. (Being built: see issue 5 and 7.)
public enum PonderSandboxModule {}
