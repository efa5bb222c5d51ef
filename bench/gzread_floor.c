/* bench/gzread_floor.c: the floor `make bench` measures against: zlib's gzread of the whole
 * file into a buffer, nothing else. Usage: gzread_floor FILE.gz */
#include <stdio.h>
#include <zlib.h>

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	unsigned long long total = 0;
	gzFile f;
	int n;

	if (argc != 2 || !(f = gzopen(argv[1], "rb")))
		return 2;
	gzbuffer(f, 256 << 10);
	while ((n = gzread(f, buf, sizeof(buf))) > 0)
		total += (unsigned long long)n;
	gzclose(f);
	if (n < 0)
		return 1;
	fprintf(stderr, "%llu bytes\n", total);
	return 0;
}
