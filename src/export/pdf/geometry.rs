//! From the page OCR read to the page the PDF shows. OCR may have read the scan turned
//! (`Page::rotation`, degrees clockwise), and a PDF page may be shown turned (`/Rotate`)
//! and cut (`/CropBox`): the text is written in the coordinates of the page as OCR saw it
//! (points, origin at its bottom left) and these matrices carry it onto the PDF page.

/// An affine map `[a b c d e f]` as PDF's `cm` takes it.
pub type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// The page turned by `degrees` clockwise (a multiple of 90): its size, and the map from
/// its coordinates back onto the unturned page of `width` × `height`.
#[derive(Debug, Clone, PartialEq)]
pub struct Turned {
    pub width: f32,
    pub height: f32,
    pub matrix: Matrix,
}

impl Turned {
    pub fn new(degrees: u16, width: f32, height: f32) -> Turned {
        let matrix = rotation(degrees, width, height);
        let (tw, th) = if degrees % 180 == 90 { (height, width) } else { (width, height) };
        Turned { width: tw, height: th, matrix }
    }

    /// The `cm` operator for [`Turned::matrix`] (nothing when it is the identity).
    pub fn cm(&self) -> String {
        cm(&self.matrix)
    }
}

/// `cm` for `m`, or nothing for the identity.
pub fn cm(m: &Matrix) -> String {
    if *m == IDENTITY {
        return String::new();
    }
    let parts: Vec<String> = m.iter().map(|&v| super::text::num(v)).collect();
    format!("{} cm\n", parts.join(" "))
}

/// Maps a page turned `degrees` clockwise back onto the page of `width` × `height` (the
/// unturned one), both with the origin at the bottom left.
pub fn rotation(degrees: u16, width: f32, height: f32) -> Matrix {
    match degrees % 360 {
        90 => [0.0, 1.0, -1.0, 0.0, width, 0.0],
        180 => [-1.0, 0.0, 0.0, -1.0, width, height],
        270 => [0.0, -1.0, 1.0, 0.0, 0.0, height],
        _ => IDENTITY,
    }
}

/// `m` then a shift by `(dx, dy)`.
pub fn shifted(m: Matrix, dx: f32, dy: f32) -> Matrix {
    [m[0], m[1], m[2], m[3], m[4] + dx, m[5] + dy]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: &Matrix, (u, v): (f32, f32)) -> (f32, f32) {
        (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
    }

    #[test]
    fn corners_of_a_turned_page_land_on_the_right_corners() {
        // A 100 × 200 page turned 90° clockwise is 200 × 100; its top left was the
        // page's bottom left.
        let t = Turned::new(90, 100.0, 200.0);
        assert_eq!((t.width, t.height), (200.0, 100.0));
        assert_eq!(apply(&t.matrix, (0.0, 100.0)), (0.0, 0.0));
        // Turned 180°: its top left was the page's bottom right.
        let t = Turned::new(180, 100.0, 200.0);
        assert_eq!(apply(&t.matrix, (0.0, 200.0)), (100.0, 0.0));
        // Turned 270°: its top left was the page's top right.
        let t = Turned::new(270, 100.0, 200.0);
        assert_eq!(apply(&t.matrix, (0.0, 100.0)), (100.0, 200.0));
        assert_eq!(Turned::new(0, 1.0, 2.0).cm(), "");
    }
}
