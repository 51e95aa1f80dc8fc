/*
 * cvss4_table.c: the CVSS v4.0 macrovector scores, FIRST's lookup table
 * (cvss_lookup.js of the reference calculator, the "cvssLookup_global" object), in
 * tenths.
 *
 * Each row holds the nine (EQ4, EQ5) pairs 00 01 02 10 11 12 20 21 22 of one
 * (EQ1, EQ2, EQ3 EQ6); the 270 entries are every macrovector that exists (EQ3 = 2
 * only comes with EQ6 = 1). The index is cvss4_macro_index() of cvss_impl.h. The
 * unit tests check every entry against FIRST's list of macrovector representatives
 * and their scores when that data is at hand (tests/unit/test_cvss.c).
 */
#include "cvss_impl.h"
#include "keikai/banned.h"

const unsigned char cvss4_macro_score[CVSS4_NMACRO] = {
	/* EQ1 0, EQ2 0, EQ3 EQ6 0 0 */ 100, 98, 95, 100, 93, 91, 93, 89, 81,
	/* EQ1 0, EQ2 0, EQ3 EQ6 0 1 */ 99, 95, 92, 96, 87, 81, 90, 80, 68,
	/* EQ1 0, EQ2 0, EQ3 EQ6 1 0 */ 98, 95, 90, 93, 89, 81, 88, 78, 69,
	/* EQ1 0, EQ2 0, EQ3 EQ6 1 1 */ 95, 92, 84, 92, 81, 65, 80, 70, 48,
	/* EQ1 0, EQ2 0, EQ3 EQ6 2 1 */ 92, 82, 72, 79, 69, 50, 69, 55, 27,
	/* EQ1 0, EQ2 1, EQ3 EQ6 0 0 */ 99, 95, 92, 95, 90, 84, 92, 82, 72,
	/* EQ1 0, EQ2 1, EQ3 EQ6 0 1 */ 97, 92, 85, 91, 83, 71, 81, 71, 53,
	/* EQ1 0, EQ2 1, EQ3 EQ6 1 0 */ 95, 92, 85, 92, 80, 70, 84, 71, 50,
	/* EQ1 0, EQ2 1, EQ3 EQ6 1 1 */ 93, 85, 73, 82, 72, 59, 70, 52, 30,
	/* EQ1 0, EQ2 1, EQ3 EQ6 2 1 */ 86, 75, 52, 71, 52, 29, 63, 29, 17,
	/* EQ1 1, EQ2 0, EQ3 EQ6 0 0 */ 98, 94, 91, 94, 86, 77, 87, 74, 63,
	/* EQ1 1, EQ2 0, EQ3 EQ6 0 1 */ 95, 87, 81, 89, 74, 64, 75, 63, 49,
	/* EQ1 1, EQ2 0, EQ3 EQ6 1 0 */ 94, 88, 76, 86, 74, 59, 72, 57, 52,
	/* EQ1 1, EQ2 0, EQ3 EQ6 1 1 */ 89, 77, 67, 76, 58, 50, 57, 52, 25,
	/* EQ1 1, EQ2 0, EQ3 EQ6 2 1 */ 83, 70, 54, 65, 58, 26, 53, 21, 13,
	/* EQ1 1, EQ2 1, EQ3 EQ6 0 0 */ 95, 88, 76, 90, 75, 61, 77, 68, 52,
	/* EQ1 1, EQ2 1, EQ3 EQ6 0 1 */ 90, 76, 70, 77, 62, 53, 66, 59, 30,
	/* EQ1 1, EQ2 1, EQ3 EQ6 1 0 */ 89, 76, 62, 74, 57, 47, 61, 57, 24,
	/* EQ1 1, EQ2 1, EQ3 EQ6 1 1 */ 78, 67, 58, 59, 57, 23, 52, 29, 16,
	/* EQ1 1, EQ2 1, EQ3 EQ6 2 1 */ 71, 59, 30, 58, 26, 15, 23, 13, 6,
	/* EQ1 2, EQ2 0, EQ3 EQ6 0 0 */ 93, 86, 75, 86, 74, 56, 70, 52, 40,
	/* EQ1 2, EQ2 0, EQ3 EQ6 0 1 */ 87, 72, 58, 74, 61, 34, 54, 40, 22,
	/* EQ1 2, EQ2 0, EQ3 EQ6 1 0 */ 85, 74, 62, 72, 55, 46, 53, 34, 19,
	/* EQ1 2, EQ2 0, EQ3 EQ6 1 1 */ 75, 55, 51, 57, 41, 19, 36, 19, 8,
	/* EQ1 2, EQ2 0, EQ3 EQ6 2 1 */ 64, 51, 20, 47, 21, 11, 24, 9, 4,
	/* EQ1 2, EQ2 1, EQ3 EQ6 0 0 */ 88, 73, 60, 73, 59, 41, 54, 45, 20,
	/* EQ1 2, EQ2 1, EQ3 EQ6 0 1 */ 75, 53, 50, 55, 40, 20, 43, 22, 11,
	/* EQ1 2, EQ2 1, EQ3 EQ6 1 0 */ 75, 58, 40, 61, 48, 20, 46, 17, 8,
	/* EQ1 2, EQ2 1, EQ3 EQ6 1 1 */ 55, 45, 21, 51, 18, 9, 18, 7, 2,
	/* EQ1 2, EQ2 1, EQ3 EQ6 2 1 */ 53, 24, 14, 24, 12, 5, 10, 3, 1,
};
