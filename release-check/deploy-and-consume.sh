#!/usr/bin/env bash
# Proves the artifacts are complete as a Maven repository would serve them: deploys the build to a
# file repository in target/staging-repo, then, with an empty local repository, generates a project
# from the deployed archetype, builds and tests it, fetches the deployed conformance runner and runs
# it against the project's jar. Our artifacts can come from the staging repository only (Maven
# Central has none of them); third-party ones come from Maven Central.
#
#   release-check/deploy-and-consume.sh [JAVA_HOME]     (output recorded in deploy-and-consume.log)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $# -gt 0 ]]; then export JAVA_HOME="$1"; fi
STAGING="$ROOT/target/staging-repo"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
VERSION="$(./mvnw -q -B help:evaluate -Dexpression=project.version -DforceStdout)"
echo "== deploying $VERSION to $STAGING"
rm -rf "$STAGING"
./mvnw -q -B -DskipTests -Darchetype.test.skip=true deploy -DaltDeploymentRepository="staging::file://$STAGING"
(cd "$STAGING" && find . -type f \( -name '*.jar' -o -name '*.pom' \) | sort | sed 's/-[0-9]\{8\}\.[0-9]\{6\}-[0-9]*/-TIMESTAMP/')

cat > "$WORK/settings.xml" <<XML
<settings>
  <localRepository>$WORK/m2</localRepository>
  <profiles>
    <profile>
      <id>staging</id>
      <repositories>
        <repository>
          <id>staging</id>
          <url>file://$STAGING</url>
          <snapshots><enabled>true</enabled></snapshots>
        </repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>
</settings>
XML

echo "== generating a project from io.pointdata.udf:udf-archetype:$VERSION (empty local repository)"
cd "$WORK"
MVN="$(ls -d "$HOME"/.m2/wrapper/dists/apache-maven-*/*/bin/mvn | head -1)"
"$MVN" -q -B -s settings.xml archetype:generate -DarchetypeGroupId=io.pointdata.udf \
  -DarchetypeArtifactId=udf-archetype -DarchetypeVersion="$VERSION" \
  -DgroupId=com.example.udf -DartifactId=my-udf -Dversion=1.0-SNAPSHOT -Dpackage=com.example.udf
cd my-udf
echo "== ./mvnw verify in the generated project"
./mvnw -B -s ../settings.xml verify | grep -E 'Tests run:|BUILD|Building jar'
echo "== where our artifacts came from (the resolver's record in the local repository)"
for a in udf-bom udf-agent-core udf-test-fixtures udf-proto; do
  echo "$a: $(grep -ho '>[a-z]*=$' "$WORK/m2/io/pointdata/udf/$a/$VERSION/_remote.repositories" | sort -u | tr -d '>=' | tr '\n' ' ')"
done
echo "== the conformance runner, fetched with dependency:copy, against target/my-udf.jar"
./mvnw -q -B -s ../settings.xml dependency:copy \
  -Dartifact="io.pointdata.udf:udf-test-fixtures:$VERSION:jar:conformance" -Dmdep.stripVersion=true \
  -DoutputDirectory=target
java -jar target/udf-test-fixtures-conformance.jar --init ".field('value')" \
  --process java -jar target/my-udf.jar 2>/dev/null
