/*
 * The small cJSON helpers the model code is written with, on both sides of the wire: read a
 * field of an object whatever it holds (a missing or mistyped field is a default, never a
 * crash), and add one with NULL meaning JSON null.
 */
#ifndef EDU_MODEL_JSON_H
#define EDU_MODEL_JSON_H

#include <cjson/cJSON.h>

/* The string value of j[key], or NULL when absent, null or not a string. */
const char *edu_json_str(const cJSON *j, const char *key);
/* A copy of j[key]'s string (caller frees), or NULL when absent, null or not a string. */
char *edu_json_strdup(const cJSON *j, const char *key);
/* The number value of j[key], or def. */
double edu_json_num(const cJSON *j, const char *key, double def);
/* j[key] as a long when it is a finite number, else def. */
long edu_json_long(const cJSON *j, const char *key, long def);
/* A number that may be null: 1 and its value in *out, or 0 and *out 0 when it is not one. */
int edu_json_opt_num(const cJSON *j, const char *key, double *out);
/* 1/0 for true/false, def otherwise. */
int edu_json_bool(const cJSON *j, const char *key, int def);
/* The array j[key] and its length in *n; NULL (and 0) when absent or not an array. */
const cJSON *edu_json_array(const cJSON *j, const char *key, int *n);

/* Adds key: s, or key: null when s is NULL. */
void edu_json_add_str(cJSON *j, const char *key, const char *s);
/* Adds key: v when has, else key: null. */
void edu_json_add_opt_num(cJSON *j, const char *key, int has, double v);

#endif
