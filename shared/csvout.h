/*
 * CSV out, for --csv and exports: RFC 4180 quoting (libcsv) with the spreadsheet-formula
 * guard of SECURITY.md: a text cell starting with '=', '+', '-', '@', TAB or CR gets a
 * leading "'" so a spreadsheet shows it instead of running it; a number stays a number. A
 * number is a plain decimal ("-3", "+4.5"), read the same in every locale: "-inf", "+nan(1)"
 * or "+0x1p3" are text, and guarded.
 * Importers strip the guard again with edu_csv_unguard(), so files round-trip.
 */
#ifndef EDU_CSVOUT_H
#define EDU_CSVOUT_H

#include <stdio.h>

/* Writes one cell (NULL: empty), quoted as needed and guarded. */
void edu_csv_cell(FILE *fp, const char *s);
/* Writes ncells cells separated by commas, then a newline (LF: what Unix tools and every
 * spreadsheet read; a CR would be a stray control byte on a terminal). */
void edu_csv_row(FILE *fp, const char *const *cells, int ncells);
/* The guard's inverse, in place: "'=1+2" becomes "=1+2"; anything else is left alone. */
void edu_csv_unguard(char *s);

#endif
