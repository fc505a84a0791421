import PonderCLI

/// Entry point of the `ponder` executable; all logic lives in PonderCLI so tests can reach it.
@main
enum PonderMain {
    static func main() async {
        await PonderCommand.runMain()
    }
}
