// kind: http
// follows: https://www.typescriptlang.org/docs/handbook/namespaces.html (runtime namespaces, which Deno compiles)
// call: GET /?w=3&h=4
// status: 200
// expect-body: {"area":12,"diagonal":5,"unit":"cm","shapes":2,"color":"Red","colorName":"Red","merged":"Shapes.Circle"}

namespace Geometry {
  export const unit = "cm";
  export function area(w: number, h: number): number {
    return w * h;
  }
  export namespace Lines {
    export const diagonal = (w: number, h: number) => Math.hypot(w, h);
  }
}

namespace Geometry {
  // a second block merges into the same namespace object
  export const shapes = ["rect", "line"].length;
}

enum Color {
  Red,
  Green,
}

class Shapes {}
namespace Shapes {
  export const Circle = "Shapes.Circle";
}

module Legacy {
  export const ok = true;
}

export default function (req: Request) {
  const q = new URL(req.url).searchParams;
  const w = Number(q.get("w")), h = Number(q.get("h"));
  return Response.json({
    area: Geometry.area(w, h),
    diagonal: Geometry.Lines.diagonal(w, h),
    unit: Legacy.ok ? Geometry.unit : "?",
    shapes: Geometry.shapes,
    color: Color[Color.Red],
    colorName: Color[0],
    merged: Shapes.Circle,
  });
}
