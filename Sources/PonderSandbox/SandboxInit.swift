/// The `namespaces` level's init: a `/bin/sh` script that `unshare` runs as PID 1 of the job's new
/// PID namespace, as root inside fresh mount, network, IPC, UTS and cgroup namespaces, with the
/// staging directory (`SandboxDirectory`) as its working directory. It builds a private root and
/// runs the program in it as `nobody` (the idea is runc's and bubblewrap's: a `tmpfs` root,
/// `pivot_root(".", ".")`, then a lazy unmount of the old root):
///
/// 1. a `tmpfs` on `root/` holding read-only binds of `/usr` (and the host's `/bin`, `/lib`…
///    links or directories), a fresh `/proc` for the new PID namespace, a `/dev` of only null,
///    zero, full, random and urandom, and two `tmpfs` of `$1` bytes each: `/tmp` and `/sandbox`,
///    into which the job's files are copied from `job/` and given to `nobody`;
/// 2. `pivot_root` into it and detach the host's tree (`umount -l`), so nothing of the host
///    (`/etc`, `/home`, `/root`, the host's `/tmp`, the staging directory) is reachable, then make
///    the root read-only: the two scratch mounts are the only writable places;
/// 3. `setpriv` to `nobody` (no groups, capabilities, or new privileges) to run the program, while
///    the shell stays PID 1: when the program ends, the shell exits with its status (128 + N for
///    signal N) and the kernel kills every process left in the namespace, even one that called
///    `setsid()`.
///
/// A setup step that fails prints `SandboxCommand.setupMarker` and the step on stderr and exits 125.
enum SandboxInit {
    static func script(setpriv: String) -> String {
        let nobody = SandboxCommand.nobody
        var lines = [
            "fail() { echo \"\(SandboxCommand.setupMarker)$*\" >&2; exit 125; }",
            "size=$1; shift",
            "program_path=$PATH; PATH=/usr/sbin:/sbin:$PATH",   // pivot_root lives in sbin
            "mount -t tmpfs -o size=1m,mode=0755,nosuid,nodev ponder-root root || fail 'cannot mount the root tmpfs'",
            "cd root || fail 'cannot enter the new root'",
            "mkdir usr proc dev tmp sandbox || fail 'cannot make the mount points'",
            "mount -o bind,ro,nosuid,nodev /usr usr || fail 'cannot bind /usr read-only'",
        ]
        for (name, target) in SandboxCommand.topLevel {
            if let target {
                lines.append("ln -s '\(target)' \(name) || fail 'cannot link /\(name)'")
            } else {
                lines.append("mkdir \(name) && mount -o bind,ro,nosuid,nodev /\(name) \(name) || fail 'cannot bind /\(name) read-only'")
            }
        }
        lines += [
            "mount -t tmpfs -o size=64k,mode=0755,nosuid,noexec ponder-dev dev || fail 'cannot mount /dev'",
            "for node in \(SandboxCommand.devices.joined(separator: " ")); do",
            "  : > dev/$node && mount -o bind /dev/$node dev/$node || fail \"cannot bind /dev/$node\"",
            "done",
            "ln -s /proc/self/fd dev/fd && ln -s /proc/self/fd/0 dev/stdin && ln -s /proc/self/fd/1 dev/stdout"
                + " && ln -s /proc/self/fd/2 dev/stderr || fail 'cannot link /dev/fd'",
            "mount -o remount,bind,ro,nosuid,noexec dev || fail 'cannot make /dev read-only'",
            "mount -t proc -o nosuid,nodev,noexec proc proc || fail 'cannot mount /proc'",
            "mount -t tmpfs -o \"size=$size,mode=1777,nosuid,nodev\" ponder-tmp tmp || fail 'cannot mount /tmp'",
            "mount -t tmpfs -o \"size=$size,mode=0755,nosuid,nodev\" ponder-job sandbox || fail 'cannot mount /sandbox'",
            "cp -R ../job/. sandbox/ || fail 'cannot copy the job files into the scratch directory (larger than the scratch or file limit?)'",
            "chown -R \(nobody):\(nobody) sandbox || fail 'cannot give the job files to nobody'",
            "echo ponder-sandbox > /proc/sys/kernel/hostname || fail 'cannot set the host name'",
            "pivot_root . . || fail 'cannot pivot_root into the new root'",
            "umount -l . || fail 'cannot detach the host tree'",
            "cd / && mount -o remount,bind,ro,nosuid,nodev / || fail 'cannot make the root read-only'",
            "cd \(SandboxCommand.mountPoint) || fail 'cannot enter \(SandboxCommand.mountPoint)'",
            "PATH=$program_path; unset OLDPWD",
            "\(setpriv) \(SandboxCommand.dropToNobody.joined(separator: " ")) -- \"$@\"",
            "exit $?",
        ]
        return lines.joined(separator: "\n")
    }
}
