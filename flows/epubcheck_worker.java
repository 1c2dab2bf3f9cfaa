// EPUBCheck kept running for a batch: one JVM (started once, warmed once) checks every EPUB,
// instead of a Java start per document. Run in Java's single-file source mode with
// epubcheck.jar on the class path. Protocol: one line per job on stdin, "EPUB<TAB>JSON-OUT";
// one line back on stdout, "EPUBCHECK-RESULT <exit code>"; the report is EPUBCheck's --json.
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubcheckWorker {
    static final long PARENT_POLL_MS = 500;

    public static void main(String[] args) throws Exception {
        // The run that started this JVM (its pid is the argument) was killed (kill -9):
        // stdin's end is only read after the job in hand, which can take a minute on a busy
        // machine, so the JVM watches its parent and ends at once instead of outliving the
        // run. The pid is passed because the run may be gone before this line is reached.
        long run = Long.parseLong(args[0]);
        Thread watch = new Thread(() -> {
            while (parentPid() == run) {
                try {
                    Thread.sleep(PARENT_POLL_MS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        PrintStream replies = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);  // EPUBCheck's own console lines stay off the protocol
        BufferedReader jobs = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = jobs.readLine()) != null) {
            String[] job = line.split("\t");
            int code;
            try {
                code = new EpubChecker().run(new String[] {job[0], "-q", "--json", job[1]});
            } catch (Exception error) {
                code = -1;
            }
            replies.println("EPUBCHECK-RESULT " + code);
        }
    }

    static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
}
