import Foundation
import Testing
@testable import PonderEval
@testable import PonderSandbox

/// Candidates that try to pass without passing the tests, graded through the real sandbox and
/// python3 in every isolation level that works here. Each cheat passes a harness that trusts the
/// exit status, runs the candidate in the tests' process, or unpickles replies freely; here each
/// must fail, and promptly.
@Suite("Code grading cannot be cheated", .serialized)
struct CodeGraderCheatTests {
    static let isolations = Sandbox.availableIsolations

    /// `add(a, b)`, tested with `==` only.
    static let add = CodeTask(
        prompt: "def add(a: int, b: int) -> int:\n    \"\"\"Return the sum of a and b.\"\"\"\n",
        entryPoint: "add",
        test: "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n")
    static let correct = "    return a + b\n"
    /// A wrong body: whatever follows it can make the candidate pass only by cheating.
    static let wrong = "    return a - b\n"
    /// A token the test knows, so it can look for it where the candidate could have put it.
    static let knownToken = "0123456789abcdef0123456789abcdef"

    static func grader(_ isolation: SandboxIsolation, wallSeconds: Double = 10) throws -> CodeGrader {
        CodeGrader(sandbox: try Sandbox(limits: try SandboxLimits(wallSeconds: wallSeconds), isolation: isolation))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test("a correct candidate passes and a wrong one fails, with the failing test line", arguments: isolations)
    func correctAndWrong(isolation: SandboxIsolation) async throws {
        let grader = try Self.grader(isolation)
        let good = try await grader.run(Self.correct, task: Self.add)
        #expect(good.passed, "\(good.failure ?? "") \(good.result.stderr)")
        #expect(good.failure == nil)
        #expect(try await grader.passes("```python\ndef add(a, b):\n    return b + a\n```", task: Self.add))
        let bad = try await grader.run(Self.wrong, task: Self.add)
        #expect(!bad.passed)
        #expect(bad.result.termination == .exited(1))
        #expect(bad.failure?.contains("AssertionError") == true && bad.failure?.contains("test line 2") == true,
                "\(bad.failure ?? "")")
    }

    @Test("exiting with status 0 fails: os._exit(0) or sys.exit(0) at the end, SystemExit or os._exit inside check, killing the harness",
          arguments: isolations)
    func earlyExits(isolation: SandboxIsolation) async throws {
        let grader = try Self.grader(isolation)
        let cheats = [
            Self.wrong + "import os; os._exit(0)\n",
            Self.wrong + "import sys; sys.exit(0)\n",
            "    raise SystemExit(0)\n",
            "    import os; os._exit(0)\n",
            Self.wrong + "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
        ]
        for cheat in cheats {
            let grade = try await grader.run(cheat, task: Self.add)
            #expect(!grade.passed, "\(cheat)")
            #expect(!grade.result.stdout.contains("PONDER-PASS"), "\(cheat)")
        }
        let exited = try await grader.run(Self.wrong + "import os; os._exit(0)\n", task: Self.add)
        #expect(exited.failure?.contains("exited (status 0) while defining the candidate") == true, "\(exited.failure ?? "")")
        let raised = try await grader.run("    raise SystemExit(0)\n", task: Self.add)
        #expect(raised.failure?.contains("SystemExit") == true, "\(raised.failure ?? "")")
    }

    /// Tests that a candidate sharing their process could defeat by patching what they call.
    static let patchable = CodeTask(
        prompt: Self.add.prompt, entryPoint: "add",
        test: """
        import math


        def check(candidate):
            assert abs(candidate(0.5, 0.25) - 0.75) < 1e-6
            assert isinstance(candidate(1, 1), int)
            assert math.isclose(candidate(1, 2), 3)

        """)

    @Test("redefining check or patching abs, isinstance and math.isclose in the candidate changes nothing", arguments: isolations)
    func patchedHelpers(isolation: SandboxIsolation) async throws {
        let grader = try Self.grader(isolation)
        #expect(try await grader.passes(Self.correct, task: Self.patchable), "the task itself is passable")
        let cheats = [
            Self.wrong + "def check(candidate):\n    pass\n",
            Self.wrong + """
            import builtins, math
            builtins.abs = lambda value: 0
            builtins.isinstance = lambda value, kind: True
            math.isclose = lambda *args, **kwargs: True
            def check(candidate):
                pass
            builtins.check = check

            """,
        ]
        for cheat in cheats {
            let grade = try await grader.run(cheat, task: Self.patchable)
            #expect(!grade.passed, "\(cheat)")
            #expect(grade.failure?.contains("AssertionError") == true, "\(grade.failure ?? "")")
        }
    }

    @Test("a result whose __eq__ is always True is refused, even one whose pickle would build such an object in the harness",
          arguments: isolations)
    func alwaysEqualResults(isolation: SandboxIsolation) async throws {
        let grader = try Self.grader(isolation)
        let local = "    class Equal:\n        def __eq__(self, other):\n            return True\n    return Equal()\n"
        #expect(!(try await grader.passes(local, task: Self.add)))
        let registered = "    return Equal(0)\n" + """
        import sys, types
        class Equal(int):
            def __eq__(self, other):
                return True
            __hash__ = int.__hash__
        Equal.__module__ = 'cheat'
        sys.modules['cheat'] = types.ModuleType('cheat')
        sys.modules['cheat'].Equal = Equal

        """
        let reducing = "    return Equal()\n" + #"""
        class Equal:
            def __eq__(self, other):
                return True
            def __reduce__(self):
                return (eval, ("type('Equal', (), {'__eq__': lambda self, other: True})()",))

        """#
        for cheat in [registered, reducing] {
            let grade = try await grader.run(cheat, task: Self.add)
            #expect(!grade.passed)
            #expect(grade.failure?.contains("not plain data") == true, "\(grade.failure ?? "") \(grade.result.stderr)")
        }
    }

    @Test("printing PONDER-PASS with a guessed token, with the real token, or twenty thousand times fails", arguments: isolations)
    func forgedPassLines(isolation: SandboxIsolation) async throws {
        let grader = try Self.grader(isolation)
        let cheats = [
            Self.wrong + "print('PONDER-PASS ' + '0' * 32)\n",
            Self.wrong + """
            import os, sys
            line = 'PONDER-PASS \(Self.knownToken)\\n'
            print(line, end='')
            sys.__stdout__.write(line)
            sys.__stdout__.flush()
            os.write(1, line.encode())
            os.write(2, line.encode())

            """,
            Self.wrong + "import random\nfor _ in range(20000):\n    print('PONDER-PASS %032x' % random.getrandbits(128))\n",
        ]
        for cheat in cheats {
            let grade = try await grader.run(cheat, task: Self.add, token: Self.knownToken)
            #expect(!grade.passed, "\(cheat)")
            #expect(!grade.result.stdout.contains("PONDER-PASS"), "\(grade.result.stdout.prefix(200))")
        }
    }

    /// Looks for the token on stdin, in the harness's environment, command line, descriptors and
    /// memory, and writes every 32-hex-digit string it finds as a pass line to the harness's
    /// stdout. Its findings go to its own output, which the harness shows a prefix of on stderr.
    static let tokenHunter = #"""
    import os, re, sys
    found = [sys.stdin.read().encode()]
    # The parent's pid as /proc numbers it (with unshare --pid, /proc is still the host's).
    parent = int(re.search(r'PPid:\s+(\d+)', open('/proc/self/status').read()).group(1))
    for name in ['environ', 'cmdline', 'fd/0']:
        try:
            fd = os.open('/proc/%d/%s' % (parent, name), os.O_RDONLY | os.O_NONBLOCK)
            found.append(os.read(fd, 1 << 16))
            os.close(fd)
        except Exception as error:
            found.append(('%s: %s' % (name, type(error).__name__)).encode())
    pattern = rb'(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])'
    tokens = set(re.findall(pattern, b' '.join(found)))
    try:
        memory = open('/proc/%d/mem' % parent, 'rb')
        for line in open('/proc/%d/maps' % parent).read().splitlines():
            span, permissions = line.split()[:2]
            low, high = [int(x, 16) for x in span.split('-')]
            if permissions.startswith('rw') and high - low <= 64 << 20:
                try:
                    memory.seek(low)
                    tokens.update(re.findall(pattern, memory.read(high - low)))
                except OSError:
                    pass
    except Exception as error:
        found.append(('mem: %s' % type(error).__name__).encode())
    for token in tokens:
        print('FOUND', token.decode())
    try:
        with open('/proc/%d/fd/1' % parent, 'w') as out:
            for token in tokens:
                out.write('PONDER-PASS %s\n' % token.decode())
    except Exception as error:
        found.append(('write fd/1: %s' % type(error).__name__).encode())
    print('HUNT DONE', [item[:200] for item in found])

    """#

    @Test("the candidate cannot find the token on its stdin or in its parent's /proc entries and memory", arguments: isolations)
    func tokenUnreachable(isolation: SandboxIsolation) async throws {
        let grade = try await Self.grader(isolation).run(Self.wrong + Self.tokenHunter, task: Self.add, token: Self.knownToken)
        #expect(!grade.passed)
        #expect(grade.result.stderr.contains("HUNT DONE"), "the hunt ran to its end: \(grade.result.stderr)")
        #expect(!grade.result.stdout.contains(Self.knownToken))
        #expect(!grade.result.stderr.contains(Self.knownToken), "\(grade.result.stderr)")
    }

    @Test("an output flood on stdout or stderr, at definition or in a call, fails well before the sandbox timeout",
          arguments: isolations)
    func outputFlood(isolation: SandboxIsolation) async throws {
        let grader = try Self.grader(isolation, wallSeconds: 20)
        let floods = [
            Self.wrong + "while True:\n    print('x' * 1000)\n",
            Self.wrong + "import sys\nwhile True:\n    sys.stderr.write('x' * 1000)\n",
            "    while True:\n        print('PONDER-PASS ' * 100)\n",
        ]
        for flood in floods {
            let clock = ContinuousClock()
            let start = clock.now
            let grade = try await grader.run(flood, task: Self.add)
            let elapsed = Self.seconds(clock.now - start)
            #expect(!grade.passed)
            #expect(grade.failure?.contains("bytes of output") == true, "\(grade.failure ?? "")")
            #expect(elapsed < 5, "\(elapsed) s for a 20 s sandbox")
        }
    }

    @Test("a candidate that sleeps forever fails at the harness's budget, before the sandbox kills the run", arguments: isolations)
    func sleepsForever(isolation: SandboxIsolation) async throws {
        let wall = 6.0
        let clock = ContinuousClock()
        let start = clock.now
        let grade = try await Self.grader(isolation, wallSeconds: wall).run("    import time\n    time.sleep(10 ** 6)\n", task: Self.add)
        let elapsed = Self.seconds(clock.now - start)
        #expect(!grade.passed)
        #expect(grade.result.termination == .exited(1), "\(grade.result.termination)")
        #expect(grade.failure?.contains("timed out") == true, "\(grade.failure ?? "")")
        #expect(elapsed < wall, "\(elapsed) s")
    }

    /// HumanEval/32's shape: the test checks the candidate's result with a helper from the prompt.
    static let findZero = CodeTask(
        prompt: """
        import math


        def poly(xs: list, x: float):
            return sum([coeff * math.pow(x, i) for i, coeff in enumerate(xs)])


        def find_zero(xs: list):
            \"\"\" Return x such that poly(xs, x) == 0. \"\"\"

        """,
        entryPoint: "find_zero",
        test: """
        def check(candidate):
            import copy
            import math
            coeffs = [-6, 11, -6, 1]
            solution = candidate(copy.deepcopy(coeffs))
            assert math.fabs(poly(coeffs, solution)) < 1e-4
            assert find_zero(coeffs) == solution

        """)

    @Test("prompt helpers in the test stay trusted, the entry point can be named, tuples and exceptions cross intact",
          arguments: isolations)
    func humanEvalSemantics(isolation: SandboxIsolation) async throws {
        let grader = try Self.grader(isolation)
        let newton = "    x = 0.0\n    for _ in range(100):\n        d = sum(i * c * x ** (i - 1) for i, c in enumerate(xs) if i)\n        x -= poly(xs, x) / d\n    return x\n"
        let solved = try await grader.run(newton, task: Self.findZero)
        #expect(solved.passed, "\(solved.failure ?? "") \(solved.result.stderr)")
        let fakePoly = "    return 0.5\n\ndef poly(xs, x):\n    return 0\n"
        #expect(!(try await grader.passes(fakePoly, task: Self.findZero)), "the test's poly is the prompt's, not the candidate's")

        let pair = CodeTask(
            prompt: "def pair(n: int) -> tuple:\n    \"\"\"Return (n, -n); raise ValueError for a negative n.\"\"\"\n",
            entryPoint: "pair",
            test: """
            def check(candidate):
                assert candidate(2) == (2, -2)
                assert pair(3) == (3, -3)
                try:
                    candidate(-1)
                except ValueError:
                    pass
                else:
                    raise AssertionError('no ValueError')

            """)
        let canonical = "    if n < 0:\n        raise ValueError(n)\n    return (n, -n)\n"
        let paired = try await grader.run(canonical, task: pair)
        #expect(paired.passed, "\(paired.failure ?? "") \(paired.result.stderr)")
        #expect(!(try await grader.passes("    return [n, -n]\n", task: pair)), "a list is not a tuple")

        // all(map(f, xs)) is True when f raises StopIteration: it must not reach the test as one.
        let positive = CodeTask(prompt: "def positive(n):\n    \"\"\"Is n > 0?\"\"\"\n", entryPoint: "positive",
                                test: "def check(candidate):\n    assert all(map(candidate, [1, 2, 3]))\n")
        #expect(try await grader.passes("    return n > 0\n", task: positive))
        #expect(!(try await grader.passes("    raise StopIteration\n", task: positive)))
    }

    @Test("the task's own prints stay off the verdict line, and a prompt that ends at its def still grades")
    func chattyTask() async throws {
        let task = CodeTask(prompt: "print('prompt speaks')\ndef add(a, b):\n", entryPoint: "add",
                            test: "print('test speaks')\ndef check(candidate):\n    print('check speaks')\n    assert candidate(2, 3) == 5\n")
        let grader = try Self.grader(try #require(Sandbox.bestIsolation))
        let good = try await grader.run(Self.correct, task: task, token: Self.knownToken)
        #expect(good.passed, "\(good.failure ?? "") \(good.result.stderr)")
        #expect(good.result.stdout == "PONDER-PASS \(Self.knownToken)\n")
        #expect(good.result.stderr.contains("check speaks"))
        #expect(!(try await grader.passes(Self.wrong, task: task)))
    }

    static func result(_ termination: SandboxTermination, stdout: String, truncated: Bool = false) -> SandboxResult {
        SandboxResult(termination: termination, stdout: stdout, stderr: "ponder-harness: FAIL reason\nmore\n",
                      stdoutTruncated: truncated, stderrTruncated: false, wallSeconds: 0.1, isolation: .processOnly)
    }

    @Test("the verdict needs exit status 0, untruncated stdout, and exactly this run's token on its last line")
    func verdict() {
        let token = Self.knownToken
        let line = "PONDER-PASS \(token)\n"
        #expect(GradingHarness.verdict(of: Self.result(.exited(0), stdout: line), token: token).passed)
        #expect(GradingHarness.verdict(of: Self.result(.exited(0), stdout: "noise\n" + line), token: token).passed)
        #expect(!GradingHarness.verdict(of: Self.result(.exited(0), stdout: ""), token: token).passed, "exit 0 alone")
        #expect(!GradingHarness.verdict(of: Self.result(.exited(0), stdout: "PONDER-PASS \(String(repeating: "0", count: 32))\n"),
                                        token: token).passed)
        #expect(!GradingHarness.verdict(of: Self.result(.exited(0), stdout: line + "after\n"), token: token).passed)
        #expect(!GradingHarness.verdict(of: Self.result(.exited(0), stdout: "PONDER-PASS \(token) \n"), token: token).passed)
        #expect(!GradingHarness.verdict(of: Self.result(.exited(1), stdout: line), token: token).passed)
        #expect(!GradingHarness.verdict(of: Self.result(.timedOut, stdout: line), token: token).passed)
        #expect(!GradingHarness.verdict(of: Self.result(.exited(0), stdout: line, truncated: true), token: token).passed)
        #expect(GradingHarness.verdict(of: Self.result(.exited(1), stdout: ""), token: token).failure == "FAIL reason")
        #expect(GradingHarness.verdict(of: Self.result(.timedOut, stdout: ""), token: token).failure?.contains("wall-clock") == true)
    }

    @Test("tokens are 32 lowercase hex digits and differ from run to run")
    func tokens() {
        let tokens = (0..<100).map { _ in GradingHarness.newToken() }
        #expect(Set(tokens).count == 100)
        #expect(tokens.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
    }
}
