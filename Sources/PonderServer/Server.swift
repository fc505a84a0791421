/// `ponder serve`. (Being built: see issue 4.)
public enum PonderServerModule {}
