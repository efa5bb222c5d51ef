/* Subprocesses with an argv, never a shell (git's run-command): fork/exec, pipes, poll. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "perfcmp/error.h"
#include "perfcmp/proc.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* Read what is available from fd into b, up to its ceiling; *lost is set when bytes had to be
 * dropped (past the ceiling, or no memory; lost may be NULL). 1 at EOF. */
static int drain(int fd, pc_buf *b, int *lost)
{
	char tmp[8192];
	ssize_t r = read(fd, tmp, sizeof(tmp));

	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 1;
	if (r == 0)
		return 1;
	if (b) {
		size_t room = b->max ? (b->len < b->max ? b->max - b->len : 0) : (size_t)r;
		size_t take = (size_t)r < room ? (size_t)r : room;
		if ((take < (size_t)r || (take && pc_buf_add(b, tmp, take))) && lost)
			*lost = 1;
	}
	return 0;
}

int pc_proc_run(const char *const argv[], const char *in, size_t n, pc_buf *out, pc_buf *err,
		int timeout_ms, int *status)
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1}, pexec[2] = {-1, -1};
	int rc = 0, wst = 0, exec_errno = 0, timed_out = 0, out_lost = 0;
	long long deadline = now_ms() + timeout_ms;
	size_t off = 0;
	pid_t pid;
	struct sigaction ign, old;

	if (pipe(pin) || pipe(pout) || pipe(perr) || pipe(pexec)) {
		rc = pc_error_set(PC_EENV, "cannot create a pipe: %s", strerror(errno));
		goto done;
	}
	fcntl(pexec[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		rc = pc_error_set(PC_EENV, "cannot start %s: %s", argv[0], strerror(errno));
		goto done;
	}
	if (pid == 0) {
		int e;
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		close(pin[0]); close(pin[1]); close(pout[0]); close(pout[1]);
		close(perr[0]); close(perr[1]); close(pexec[0]);
		execvp(argv[0], (char *const *)argv);
		e = errno;
		if (write(pexec[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pin[0]); pin[0] = -1;
	close(pout[1]); pout[1] = -1;
	close(perr[1]); perr[1] = -1;
	close(pexec[1]); pexec[1] = -1;
	if (read(pexec[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno)) {
		waitpid(pid, &wst, 0);
		if (exec_errno == ENOENT)
			rc = pc_error_set(PC_EENV, "%s: not found", argv[0]);
		else
			rc = pc_error_set(PC_EENV, "cannot run %s: %s", argv[0], strerror(exec_errno));
		goto done;
	}
	/* a child that exits early must not kill us with SIGPIPE */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	fcntl(pin[1], F_SETFL, O_NONBLOCK);
	if (!in || n == 0)
		close_pair(pin);
	while (pout[0] >= 0 || perr[0] >= 0) {
		struct pollfd fds[3];
		int nf = 0, left = (int)(deadline - now_ms());
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (pout[0] >= 0)
			fds[nf++] = (struct pollfd){pout[0], POLLIN, 0};
		if (perr[0] >= 0)
			fds[nf++] = (struct pollfd){perr[0], POLLIN, 0};
		if (pin[1] >= 0)
			fds[nf++] = (struct pollfd){pin[1], POLLOUT, 0};
		if (poll(fds, (nfds_t)nf, left) < 0 && errno != EINTR)
			break;
		for (int k = 0; k < nf; k++) {
			if (!fds[k].revents)
				continue;
			if (fds[k].fd == pin[1]) {
				ssize_t w = write(pin[1], in + off, n - off);
				if (w > 0)
					off += (size_t)w;
				if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == n)
					close_pair(pin);
			} else if (fds[k].fd == pout[0] && drain(pout[0], out, &out_lost)) {
				close(pout[0]);
				pout[0] = -1;
			} else if (fds[k].fd == perr[0] && drain(perr[0], err, NULL)) {
				close(perr[0]);
				perr[0] = -1;
			}
		}
	}
	sigaction(SIGPIPE, &old, NULL);
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
		rc = pc_error_set(PC_EENV, "%s timed out after %d s and was stopped", argv[0],
				  timeout_ms / 1000);
		goto done;
	}
	/* a cut image must not be written as if it were whole (a cut stderr is only a message) */
	if (out_lost) {
		rc = pc_error_set(PC_EENV, "%s wrote more than %zu bytes (or memory ran out)", argv[0],
				  out ? out->max : 0);
		goto done;
	}
	*status = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst);
done:
	close_pair(pin);
	close_pair(pout);
	close_pair(perr);
	close_pair(pexec);
	return rc;
}
