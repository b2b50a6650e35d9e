"""Sources: importing transcripts, reading documents back, the interview guide."""
