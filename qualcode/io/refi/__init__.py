"""REFI-QDA interchange: the exchange model, .qdpx read/write, .qdc, vendor offsets."""
