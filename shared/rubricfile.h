/*
 * Rubric files: what a teacher writes to set a rubric (`edu rubric set`), in one of two
 * forms.
 *
 * Text, one criterion a line, levels with their points, `#` starting a comment line:
 *
 *	# essay rubric
 *	Thesis: Excellent=4, Good=3, Weak=1, Missing=0
 *	Evidence: Strong=4, Some=2, None=0
 *
 * CSV (RFC 4180, read with libcsv), one level a row, `criterion,level,points`, an optional
 * header row of those three words, rows of one criterion kept together in their order:
 *
 *	criterion,level,points
 *	Thesis,Excellent,4
 *	"Evidence, sources",Strong,4
 *
 * A file whose name ends in .csv, or whose first line that is not blank or a comment has
 * no ':', is CSV. Points are decimal numbers, not negative, written with '.' whatever the
 * locale. Every error names the file, line and column (counted in characters, from 1) and
 * says what was wrong: "essay.txt:3:12: level 'Good' has no points (write Good=N)".
 */
#ifndef EDU_RUBRICFILE_H
#define EDU_RUBRICFILE_H

#include <stddef.h>
#include <stdio.h>

#include "model/rubric.h"
#include "err.h"

/*
 * Parses len bytes of data (name is the file name, for messages and the .csv rule) into r
 * (released first; release it). EDU_ERR_INVALID with "NAME:LINE:COL: ..." in ei.
 */
enum edu_err edu_rubric_parse(const char *name, const char *data, size_t len,
			      struct edu_rubric *r, struct edu_errinfo *ei);
/* Reads the file at path ("-": standard input) and parses it. */
enum edu_err edu_rubric_read_file(const char *path, struct edu_rubric *r,
				  struct edu_errinfo *ei);
/*
 * Writes r as a rubric file that edu_rubric_parse() reads back: the text form, or CSV
 * when a name could not be written in it (a ':' in a criterion, ',' or '=' in a level).
 */
void edu_rubric_write(FILE *fp, const struct edu_rubric *r);
/*
 * Reads a number of points (or a score) as the files write it: digits with at most one
 * '.', whatever the locale; no sign, no exponent. Returns 0, or -1.
 */
int edu_parse_points(const char *s, double *out);
/* points as the files write them: "%.15g" with '.' for the decimal point, whatever the locale. */
const char *edu_points_str(double points, char buf[32]);

#endif
