"""Exchange: REFI-QDA projects, the Excel workbook, codebook files, plain tables and data frames."""
