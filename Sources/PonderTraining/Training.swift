/// `ponder train`. (Being built: see issue 6.)
public enum PonderTrainingModule {}
