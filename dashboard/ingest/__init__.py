"""Reading and checking a workbook: file safety, the parsing child, header detection, layouts."""
