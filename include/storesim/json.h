/*
 * json.h: a small streaming JSON writer.
 *
 * Values go straight to a FILE* as they are produced: there is no document
 * tree, so writing the report of a long run costs no memory. The writer only
 * remembers how deep it is and how many items each open level holds, which is
 * all it needs to place commas, newlines and the 2-space indentation. Output is
 * deterministic: the same calls give the same bytes on every platform, and a
 * double is written as the shortest "%.<p>g" (p = 1..17) that reads back to
 * the same value, so 0.1 stays "0.1" and nothing is lost. Non-finite doubles,
 * which JSON cannot express, become null. Numbers assume the "C" locale, which
 * is what a program runs in unless it calls setlocale().
 *
 * Every value-writing function takes a `key`: the member name inside an object,
 * NULL for an array element and for the top-level value. Misuse (a key inside
 * an array, more than 31 levels, an unbalanced end) is a caller bug and trips
 * an assert. Write errors are not reported here: they stick in the stream's
 * error indicator, and whoever owns the FILE checks ferror() once at the end
 * (ss_output_commit() does).
 */
#ifndef STORESIM_JSON_H
#define STORESIM_JSON_H

#include <stdio.h>

#define SS_JSON_MAX_DEPTH 32

struct ss_json {
    FILE *f;                        /* where the text goes */
    int depth;                      /* open objects/arrays; 0 at top level */
    int count[SS_JSON_MAX_DEPTH];   /* items written at each level, for commas */
};

/* Start writing one JSON document to `f`. Writes nothing yet. */
void ss_json_init(struct ss_json *j, FILE *f);

/* Open an object ("{"), as member `key` of the enclosing object (NULL in an
 * array or at top level). Members follow until ss_json_end_object(). */
void ss_json_begin_object(struct ss_json *j, const char *key);

/* Close the innermost object: "}" on its own line, or "{}" when it is empty. */
void ss_json_end_object(struct ss_json *j);

/* Open an array ("["); its elements are written with key NULL. */
void ss_json_begin_array(struct ss_json *j, const char *key);

/* Close the innermost array: "]" on its own line, or "[]" when it is empty. */
void ss_json_end_array(struct ss_json *j);

/* A string. '"', '\\' and control characters are escaped (\n, \t, ... or
 * \u00XX); bytes >= 0x80 pass through, so UTF-8 input gives UTF-8 output. */
void ss_json_string(struct ss_json *j, const char *key, const char *value);

/* A signed integer, in decimal. */
void ss_json_int(struct ss_json *j, const char *key, long long value);

/* An unsigned integer, in decimal. */
void ss_json_uint(struct ss_json *j, const char *key, unsigned long long value);

/* A double: the shortest "%.<p>g" that strtod() reads back exactly, so 3.0 is
 * "3" and 1e300 is "1e+300". NaN and infinities are written as null. */
void ss_json_double(struct ss_json *j, const char *key, double value);

/* true when `value` is nonzero, else false. */
void ss_json_bool(struct ss_json *j, const char *key, int value);

/* null, e.g. for a symptom that never happened. */
void ss_json_null(struct ss_json *j, const char *key);

/* `literal` copied as is: the caller vouches that it is one valid JSON value. */
void ss_json_raw(struct ss_json *j, const char *key, const char *literal);

/* Finish the document: the final newline after the top-level value. Every
 * object and array must have been closed. */
void ss_json_end(struct ss_json *j);

#endif
