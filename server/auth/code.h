/*
 * The codes people type (activation codes, a course's join code) are Crockford base32: no
 * I, L, O or U, so they read back unambiguously.
 *
 * Activation codes: 16 characters in groups of four (80 bits), shown once and kept as
 * SHA-256. A code typed back is normalised first (case, dashes, spaces, O/I/L), so
 * srv_code_hash(what the user typed) matches the stored hash.
 */
#ifndef SRV_AUTH_CODE_H
#define SRV_AUTH_CODE_H

extern const char srv_code_alphabet[33];
/*
 * One typed character as a code has it: upper case, O as 0, I and L as 1; 0 for a space
 * or a dash, which do not count.
 */
int srv_code_char(int c);
/* A new activation code (caller frees), its SHA-256 in hash. */
char *srv_code_new(char hash[65]);
void srv_code_hash(const char *code, char hash[65]);

#endif
