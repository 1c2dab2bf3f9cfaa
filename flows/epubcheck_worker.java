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
    public static void main(String[] args) throws Exception {
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
}
