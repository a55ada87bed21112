/* The cJSON helpers of the model code (see json.h). */
#include "config.h"

#include <math.h>

#include "json.h"
#include "xalloc.h"

const char *edu_json_str(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

char *edu_json_strdup(const cJSON *j, const char *key)
{
	const char *s = edu_json_str(j, key);

	return s ? xstrdup(s) : NULL;
}

double edu_json_num(const cJSON *j, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

long edu_json_long(const cJSON *j, const char *key, long def)
{
	double v = edu_json_num(j, key, (double)def);

	/* cJSON reads 1e400 as infinity, which no long holds */
	return isfinite(v) && v > -9e18 && v < 9e18 ? (long)v : def;
}

int edu_json_opt_num(const cJSON *j, const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	*out = cJSON_IsNumber(v) ? v->valuedouble : 0;
	return cJSON_IsNumber(v);
}

int edu_json_bool(const cJSON *j, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

const cJSON *edu_json_array(const cJSON *j, const char *key, int *n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, key);

	if (!cJSON_IsArray(a)) {
		*n = 0;
		return NULL;
	}
	*n = cJSON_GetArraySize(a);
	return a;
}

void edu_json_add_str(cJSON *j, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(j, key, s);
	else
		cJSON_AddNullToObject(j, key);
}

void edu_json_add_opt_num(cJSON *j, const char *key, int has, double v)
{
	if (has)
		cJSON_AddNumberToObject(j, key, v);
	else
		cJSON_AddNullToObject(j, key);
}
