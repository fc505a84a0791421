import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What one child process did, as `ChildProcess.run` saw it.
struct ChildOutcome: Sendable {
    /// The raw `waitpid` status.
    var waitStatus: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]
    var stdoutTruncated: Bool
    var stderrTruncated: Bool
    /// The wall-clock limit was reached and the process group was killed.
    var timedOut: Bool
    /// The run was cancelled and the process group was killed.
    var cancelled: Bool = false
    var wallSeconds: Double

    /// The exit status when the process exited normally.
    var exitStatus: Int32? { waitStatus & 0x7f == 0 ? (waitStatus >> 8) & 0xff : nil }
    /// The signal that ended the process, if one did.
    var signal: Int32? {
        let low = waitStatus & 0x7f
        return low != 0 && low != 0x7f ? low : nil
    }
}

// GNU extensions of glibc (2.29+) that the Swift Glibc module does not import: a pipe created
// close-on-exec atomically (so concurrent spawns cannot inherit it) and a chdir in the child.
@_silgen_name("pipe2")
private func systemPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func systemAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32
// glibc 2.34+: close every descriptor from `from` on in the child, so nothing Ponder holds leaks in.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func systemAddClosefrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
/// glibc's `POSIX_SPAWN_SETSID` (spawn.h), which the Swift Glibc module does not import: the child
/// starts a new session (and process group), so it has no controlling terminal.
private let spawnSetsid: Int32 = 0x80

/// Set from any thread to make a running `ChildProcess.run` kill its process tree and return.
final class ChildCancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Asks the run to stop.
    func cancel() { flag.store(true, ordering: .releasing) }
    /// Whether `cancel()` was called.
    var isCancelled: Bool { flag.load(ordering: .acquiring) }
}

/// Spawns one process with `posix_spawn` in a new session (its own process group, no
/// controlling terminal), with exactly the given environment and no other descriptors than its
/// pipes and `inheritedFiles`; feeds stdin, collects bounded output, and kills the whole group at
/// the deadline or on cancellation (checked at least every 50 ms). Blocking: call it from a
/// dedicated thread, never from the cooperative pool. The spawning thread stays in `run` until
/// the child is gone, so a `PR_SET_PDEATHSIG` the launcher sets fires only if this process dies.
enum ChildProcess {
    /// Writing to a pipe whose reader died must give `EPIPE`, not kill this process.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    static func run(
        executable: String,
        arguments: [String],
        environment: [String],
        workingDirectory: String?,
        stdin: [UInt8],
        outputLimit: Int,
        wallSeconds: Double,
        inheritedFiles: [Int32] = [],
        cancellation: ChildCancellation? = nil
    ) throws(SandboxError) -> ChildOutcome {
        _ = ignoreSIGPIPE
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard systemPipe2(&inPipe, O_CLOEXEC) == 0 else { throw .spawnFailed(executable: executable, errno: errno) }
        guard systemPipe2(&outPipe, O_CLOEXEC) == 0 else {
            closeAll(inPipe)
            throw .spawnFailed(executable: executable, errno: errno)
        }
        guard systemPipe2(&errPipe, O_CLOEXEC) == 0 else {
            closeAll(inPipe + outPipe)
            throw .spawnFailed(executable: executable, errno: errno)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // `inheritedFiles[i]` becomes descriptor 3 + i. The sources are first moved above that
        // range (close-on-exec, so no other spawn sees them) so no dup2 overwrites a later source.
        let firstFree = Int32(3 + inheritedFiles.count)
        var movedFiles: [Int32] = []
        defer { closeAll(movedFiles) }
        for fd in inheritedFiles {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, firstFree)
            guard moved >= 0 else {
                let error = errno
                closeAll(inPipe + outPipe + errPipe)
                throw .spawnFailed(executable: executable, errno: error)
            }
            movedFiles.append(moved)
        }
        for (index, fd) in movedFiles.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, Int32(3 + index))
        }
        _ = systemAddClosefrom(&actions, firstFree)
        if let workingDirectory {
            _ = systemAddChdir(&actions, workingDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session, so its own process group (the whole tree can be killed) and no terminal;
        // default signal handling, no mask.
        posix_spawnattr_setflags(&attributes, Int16(spawnSetsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        closeAll([inPipe[0], outPipe[1], errPipe[1]])
        guard spawned == 0 else {
            closeAll([inPipe[1], outPipe[0], errPipe[0]])
            throw .spawnFailed(executable: executable, errno: spawned)
        }
        return collect(pid: pid, stdinFD: inPipe[1], stdoutFD: outPipe[0], stderrFD: errPipe[0],
                       stdin: stdin, outputLimit: outputLimit, wallSeconds: wallSeconds, cancellation: cancellation)
    }

    private static func collect(
        pid: pid_t, stdinFD: Int32, stdoutFD: Int32, stderrFD: Int32,
        stdin: [UInt8], outputLimit: Int, wallSeconds: Double, cancellation: ChildCancellation?
    ) -> ChildOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(wallSeconds * 1000))
        var input: Int32 = stdinFD, output: Int32 = stdoutFD, error: Int32 = stderrFD
        for fd in [input, output, error] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var outcome = ChildOutcome(waitStatus: 0, stdout: [], stderr: [], stdoutTruncated: false,
                                   stderrTruncated: false, timedOut: false, wallSeconds: 0)
        var written = 0
        if stdin.isEmpty { close(input); input = -1 }
        var exited = false
        // Once the program has exited and its group is killed, what is left in the pipes is read for
        // a moment; a descriptor some unrelated process inherited cannot hold the run open.
        var drainUntil: ContinuousClock.Instant?
        var buffer = [UInt8](repeating: 0, count: 65536)

        while output >= 0 || error >= 0 || !exited {
            let now = clock.now
            if let drainUntil, now >= drainUntil { break }
            if now >= deadline { outcome.timedOut = true; break }
            if cancellation?.isCancelled == true { outcome.cancelled = true; break }
            let remaining = deadline - now
            let waitMs = Int32(min(50, max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)))
            var fds: [pollfd] = []
            if output >= 0 { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if error >= 0 { fds.append(pollfd(fd: error, events: Int16(POLLIN), revents: 0)) }
            if input >= 0 { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            if fds.isEmpty {
                usleep(UInt32(waitMs) * 1000)
            } else {
                _ = poll(&fds, nfds_t(fds.count), waitMs)
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == input {
                    let count = stdin[written...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
                    if count > 0 { written += count }
                    if (count < 0 && errno != EAGAIN && errno != EINTR) || written == stdin.count {
                        close(input); input = -1
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    let chunk = buffer[0..<count]
                    if entry.fd == output {
                        append(chunk, to: &outcome.stdout, truncated: &outcome.stdoutTruncated, limit: outputLimit)
                    } else {
                        append(chunk, to: &outcome.stderr, truncated: &outcome.stderrTruncated, limit: outputLimit)
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(entry.fd)
                    if entry.fd == output { output = -1 } else { error = -1 }
                }
            }
            if !exited {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    exited = true
                    outcome.waitStatus = status
                    // Anything the program left behind in its group goes with it.
                    kill(-pid, SIGKILL)
                    drainUntil = clock.now + .milliseconds(500)
                }
            }
        }
        if outcome.timedOut || outcome.cancelled {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        closeAll([input, output, error].filter { $0 >= 0 })
        if !exited {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            outcome.waitStatus = status
        }
        let elapsed = clock.now - start
        outcome.wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return outcome
    }

    private static func append(_ chunk: ArraySlice<UInt8>, to bytes: inout [UInt8], truncated: inout Bool, limit: Int) {
        let room = limit - bytes.count
        if chunk.count <= room {
            bytes.append(contentsOf: chunk)
        } else {
            bytes.append(contentsOf: chunk.prefix(max(0, room)))
            truncated = true
        }
    }

    private static func closeAll(_ fds: [Int32]) {
        for fd in fds where fd >= 0 { close(fd) }
    }
}
