#include "UnifiedDiff.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace evy {
namespace {

constexpr int Context = 3;

std::vector<std::string_view> splitLines(const std::string &Text) {
  std::vector<std::string_view> Lines;
  std::size_t Start = 0;
  while (Start < Text.size()) {
    std::size_t End = Text.find('\n', Start);
    End = End == std::string::npos ? Text.size() : End + 1;
    Lines.emplace_back(Text.data() + Start, End - Start);
    Start = End;
  }
  return Lines;
}

enum class Op { Keep, Remove, Add };

/// Myers' O(ND) shortest edit script, recovered from the saved frontiers.
std::vector<Op> editScript(const std::vector<std::string_view> &A,
                           const std::vector<std::string_view> &B) {
  const int N = static_cast<int>(A.size()), M = static_cast<int>(B.size());
  const int Max = N + M, Offset = Max + 1;
  std::vector<int> V(2 * Max + 3, 0);
  std::vector<std::vector<int>> Trace;
  int FinalD = 0;
  for (int D = 0; D <= Max; ++D) {
    Trace.push_back(V);
    bool Done = false;
    for (int K = -D; K <= D; K += 2) {
      int X = (K == -D || (K != D && V[Offset + K - 1] < V[Offset + K + 1]))
                  ? V[Offset + K + 1]
                  : V[Offset + K - 1] + 1;
      int Y = X - K;
      while (X < N && Y < M && A[X] == B[Y])
        ++X, ++Y;
      V[Offset + K] = X;
      if (X >= N && Y >= M) {
        Done = true;
        break;
      }
    }
    if (Done) {
      FinalD = D;
      break;
    }
  }
  std::vector<Op> Script;
  int X = N, Y = M;
  for (int D = FinalD; D > 0; --D) {
    const std::vector<int> &Prev = Trace[D];
    int K = X - Y;
    int PrevK = (K == -D || (K != D && Prev[Offset + K - 1] < Prev[Offset + K + 1])) ? K + 1
                                                                                     : K - 1;
    int PrevX = Prev[Offset + PrevK], PrevY = PrevX - PrevK;
    while (X > PrevX && Y > PrevY) {
      Script.push_back(Op::Keep);
      --X, --Y;
    }
    Script.push_back(X == PrevX ? Op::Add : Op::Remove);
    X = PrevX, Y = PrevY;
  }
  while (X > 0 && Y > 0) {
    Script.push_back(Op::Keep);
    --X, --Y;
  }
  std::reverse(Script.begin(), Script.end());
  return Script;
}

void appendLine(std::string &Out, char Mark, std::string_view Line) {
  Out += Mark;
  Out.append(Line.data(), Line.size());
  if (Line.empty() || Line.back() != '\n')
    Out += "\n\\ No newline at end of file\n";
}

} // namespace

std::string unifiedDiff(const std::string &Before, const std::string &After,
                        const std::string &OldLabel, const std::string &NewLabel) {
  if (Before == After)
    return "";
  std::vector<std::string_view> A = splitLines(Before), B = splitLines(After);
  std::vector<Op> Script = editScript(A, B);

  // Positions in A and B before each script step.
  std::vector<int> PosA(Script.size() + 1), PosB(Script.size() + 1);
  for (std::size_t I = 0; I < Script.size(); ++I) {
    PosA[I + 1] = PosA[I] + (Script[I] != Op::Add);
    PosB[I + 1] = PosB[I] + (Script[I] != Op::Remove);
  }

  std::string Out = "--- " + OldLabel + "\n+++ " + NewLabel + "\n";
  std::size_t I = 0;
  while (I < Script.size()) {
    if (Script[I] == Op::Keep) {
      ++I;
      continue;
    }
    // A hunk: from Context lines before this change to Context lines after
    // the last change that is within 2*Context of the previous one.
    std::size_t Begin = I >= Context ? I - Context : 0;
    while (Begin < I && Script[Begin] != Op::Keep)
      ++Begin;
    std::size_t End = I, KeepRun = 0;
    for (std::size_t J = I; J < Script.size(); ++J) {
      if (Script[J] == Op::Keep) {
        if (++KeepRun > 2 * Context)
          break;
      } else {
        KeepRun = 0;
        End = J + 1;
      }
    }
    std::size_t HunkEnd = std::min(Script.size(), End + Context);
    int LenA = PosA[HunkEnd] - PosA[Begin], LenB = PosB[HunkEnd] - PosB[Begin];
    Out += "@@ -" + std::to_string(LenA ? PosA[Begin] + 1 : PosA[Begin]) + "," +
           std::to_string(LenA) + " +" + std::to_string(LenB ? PosB[Begin] + 1 : PosB[Begin]) +
           "," + std::to_string(LenB) + " @@\n";
    for (std::size_t J = Begin; J < HunkEnd; ++J) {
      switch (Script[J]) {
      case Op::Keep:
        appendLine(Out, ' ', A[PosA[J]]);
        break;
      case Op::Remove:
        appendLine(Out, '-', A[PosA[J]]);
        break;
      case Op::Add:
        appendLine(Out, '+', B[PosB[J]]);
        break;
      }
    }
    I = HunkEnd;
  }
  return Out;
}

} // namespace evy
